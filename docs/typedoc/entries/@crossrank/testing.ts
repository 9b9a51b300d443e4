/**
 * Real BERT cross-encoder models with seeded random weights, for tests that cannot download a model.
 *
 * @module @crossrank/testing
 */
export * from '@crossrank/testing';
