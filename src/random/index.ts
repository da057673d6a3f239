/**
 * `random`: JAX-style functional pseudo-random numbers.
 *
 * @module
 */

export {};
