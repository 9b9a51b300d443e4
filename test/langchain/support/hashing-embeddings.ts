import { HashingEmbeddings as ExampleHashingEmbeddings } from '../../../examples/langchain/hashing-embeddings';

/**
 * The example's offline hashed bag-of-words embeddings, at the 256 dimensions these tests' expected
 * retrieval orders were written against.
 */
export class HashingEmbeddings extends ExampleHashingEmbeddings {
  constructor(dimensions = 256) {
    super(dimensions);
  }
}
