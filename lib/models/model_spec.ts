/**
 * A serialisable description of a model's architecture, so that the same
 * network can be rebuilt in another isolate (a worker of
 * `GradientPool`) and given the same weights there.
 *
 * @module
 */
import { createMlp, type Model } from "./mlp.ts";
import { createResNet, type ResNetOptions } from "./resnet.ts";
import { createPrng } from "../stats/random.ts";

/** The architecture of an {@link createMlp} or {@link createResNet} model, without weights. */
export type ModelSpec =
  | { kind: "mlp"; sizes: number[] }
  | { kind: "resnet"; options: Omit<ResNetOptions, "prng"> };

/**
 * Builds the architecture described by `spec`. Its weights are an arbitrary
 * (seed-0) initialisation: the caller overwrites them.
 *
 * @param spec what {@link Model.spec} holds
 * @returns a fresh model
 * @throws TypeError for a spec that is not one of the kinds above
 */
export function modelFromSpec(spec: ModelSpec): Model {
  const prng = createPrng(0);
  if (spec?.kind === "mlp") return createMlp({ sizes: spec.sizes, prng });
  if (spec?.kind === "resnet") return createResNet({ ...spec.options, prng });
  throw new TypeError(`spec must be {kind: "mlp" | "resnet", ...}, got ${JSON.stringify(spec)}`);
}

/**
 * The number of outputs (logits per example) of the architecture described by `spec`.
 *
 * @param spec what {@link Model.spec} holds
 * @returns the MLP's last layer size, or the ResNet's classes (default 10)
 * @throws TypeError for a spec that is not one of the kinds above
 */
export function specOutputs(spec: ModelSpec): number {
  if (spec?.kind === "mlp") return spec.sizes.at(-1)!;
  if (spec?.kind === "resnet") return spec.options.classes ?? 10;
  throw new TypeError(`spec must be {kind: "mlp" | "resnet", ...}, got ${JSON.stringify(spec)}`);
}
