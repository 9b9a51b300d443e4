/**
 * Generated cross-encoder models (real BERT architecture and tokenizer, seeded random weights) for
 * tests that cannot download a model.
 *
 * @module @crossrank/core/testing
 */
export * from '@crossrank/core/testing';
