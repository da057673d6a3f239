/**
 * `nn`: neural-network activations and losses, composed from `np`.
 *
 * @module
 */

export {};
