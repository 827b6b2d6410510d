/**
 * The size limits of the dynamics layer, checked before anything is allocated (with
 * `assertIntegerInRange` and `assertAllocation` of lib/stats/validate.ts), so an absurd grid or
 * particle count is a named RangeError instead of an engine error or a machine out of memory.
 *
 * @module
 */

/** Largest number of grid cells (1-D cells, or nx·ny in 2-D) a Fokker–Planck solver allocates. */
export const MAX_GRID_CELLS = 4_000_000;

/** Largest number of values (count · dim, or snapshots · count · dim) a particle run allocates. */
export const MAX_PARTICLE_VALUES = 50_000_000;

/** Largest step count of a particle run (first-passage steps are stored as 32-bit integers). */
export const MAX_STEPS = 2 ** 31 - 1;
