/**
 * The TensorFlow.js side: MNIST digits, MLP and ResNet models, convolution kernels with
 * per-example weight gradients, training (also through the cache of results), and the
 * {@linkcode TfjsOracle} that plugs a model into the numerical layers. Importing this module loads
 * TensorFlow.js; nothing else in lib/ does.
 *
 * @module
 */
export * from "./tf.ts";
export * from "./mnist.ts";
export * from "./mlp.ts";
export * from "./conv.ts";
export * from "./resnet.ts";
export * from "./tfjs_oracle.ts";
export * from "./model_spec.ts";
export * from "./gradient_pool.ts";
export * from "./train.ts";
export * from "./cached_training.ts";
