import { embeddingSizeOf, positionRows, specOf, vocabSizeOf } from './architecture.js';
import { MASK_NEGATIVE, type BertShape, type BertWeights, type LayerNorm, type Linear } from './bert-weights.js';
import { attr, floatTensor, GraphBuilder, int64Tensor, valueInfo } from './graph-builder.js';
import { TensorType, type OnnxTypes } from './onnx-proto.js';

/**
 * Opset 12, in the PyTorch exporter's layout for Hugging Face BERT. ONNX Runtime's load-time
 * attention fusion (attention_fusion.cc) only matches the mask subgraph built from opset <= 12
 * Unsqueeze/Add/Mul and the literal -10000, so at opset 12 ORT 1.21 turns each layer's attention into
 * one `com.microsoft.Attention`, the ReduceMean pattern into LayerNormalization, Add+Gelu into
 * BiasGelu and the pooler's Gemm+Tanh into FusedGemm. At opset 14 or 17 attention stays unfused
 * (slower in our MiniLM-size runs, though timings on a shared 2-core machine were noisy; the
 * benchmarks should confirm). SkipLayerNormalization never fuses at load time with a dynamic
 * sequence length, for exported models too.
 */
export const BERT_OPSET = 12;
const IR_VERSION = 7;

export const INPUT_NAMES = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
export const OUTPUT_NAME = 'logits';

/**
 * Builds `BertForSequenceClassification` as `torch.onnx.export` writes it, or, by `shape.architecture`,
 * ELECTRA's or XLM-RoBERTa's sequence classifier (same encoder; their embeddings and heads differ).
 */
export function buildBertModel(shape: BertShape, weights: BertWeights): OnnxTypes.IModelProto {
  const g = new GraphBuilder();
  const { hidden, heads } = shape;
  const headSize = hidden / heads;
  const spec = specOf(shape);
  const embedding = embeddingSizeOf(shape);
  const p0 = spec.prefix;

  // Embeddings: word + token type + position.
  const wordTable = g.weight(floatTensor(`${p0}.embeddings.word_embeddings.weight`, [vocabSizeOf(shape), embedding], weights.wordEmbeddings));
  const positionTable = g.weight(
    floatTensor(`${p0}.embeddings.position_embeddings.weight`, [positionRows(shape), embedding], weights.positionEmbeddings),
  );
  const e = `/${p0}/embeddings`;
  const words = g.op('Gather', `${e}/word_embeddings/Gather`, [wordTable, 'input_ids']);
  let wordsAndTypes: string;
  if (spec.tokenTypes) {
    const typeTable = g.weight(
      floatTensor(`${p0}.embeddings.token_type_embeddings.weight`, [spec.typeVocabSize, embedding], weights.tokenTypeEmbeddings),
    );
    const types = g.op('Gather', `${e}/token_type_embeddings/Gather`, [typeTable, 'token_type_ids']);
    wordsAndTypes = g.op('Add', `${e}/Add`, [words, types]);
  } else {
    // No token_type_ids input: the exporter folds the all-zero buffer into type row 0, broadcast.
    const typeRow = g.weight(floatTensor(`${p0}.embeddings.token_type_embeddings.row0`, [embedding], weights.tokenTypeEmbeddings.subarray(0, embedding)));
    wordsAndTypes = g.op('Add', `${e}/Add`, [words, typeRow]);
  }
  let positionIds: string;
  if (spec.paddingIdx === undefined) {
    const positionIdsBuffer = g.weight(
      int64Tensor(`${p0}.embeddings.position_ids`, [1, shape.maxPositions], Array.from({ length: shape.maxPositions }, (_, i) => i)),
    );
    const idsShape = g.op('Shape', `${e}/Shape`, ['input_ids']);
    const seqLen = g.op('Gather', `${e}/Gather`, [idsShape, g.int64s([1], [])], [attr.int('axis', 0)]);
    const seqLen1d = g.op('Unsqueeze', `${e}/Unsqueeze`, [seqLen], [attr.ints('axes', [0])]);
    positionIds = g.op('Slice', `${e}/Slice`, [positionIdsBuffer, g.int64s([0]), seqLen1d, g.int64s([1]), g.int64s([1])]);
  } else {
    // create_position_ids_from_input_ids: cumsum(ids != pad) * (ids != pad) + pad. Real tokens count
    // from pad + 1 whatever the attention mask says: the pad id, not the mask, decides positions.
    const isPad = g.op('Equal', `${e}/Equal`, ['input_ids', g.int64s([spec.paddingIdx], [])]);
    const notPad = g.op('Not', `${e}/Not`, [isPad]);
    const mask = g.op('Cast', `${e}/Cast`, [notPad], [attr.int('to', TensorType.INT32)]);
    const counted = g.op('CumSum', `${e}/CumSum`, [mask, g.int64s([1], [])]);
    const kept = g.op('Mul', `${e}/Mul`, [counted, mask]);
    const kept64 = g.op('Cast', `${e}/Cast_1`, [kept], [attr.int('to', TensorType.INT64)]);
    positionIds = g.op('Add', `${e}/Add_2`, [kept64, g.int64s([spec.paddingIdx], [])]);
  }
  const positions = g.op('Gather', `${e}/position_embeddings/Gather`, [positionTable, positionIds]);
  const embedded = g.op('Add', `${e}/Add_1`, [wordsAndTypes, positions]);
  let hiddenStates = layerNorm(g, `${e}/LayerNorm`, `${p0}.embeddings.LayerNorm`, embedded, weights.embeddingNorm, spec.layerNormEps);
  if (weights.embeddingProjection) {
    hiddenStates = dense(g, `/${p0}/embeddings_project`, `${p0}.embeddings_project`, hiddenStates, weights.embeddingProjection);
  }

  // Extended attention mask: (1 - mask[:, None, None, :]) * -10000, added to every layer's scores.
  const m = `/${p0}`;
  const mask1 = g.op('Unsqueeze', `${m}/Unsqueeze`, ['attention_mask'], [attr.ints('axes', [1])]);
  const mask2 = g.op('Unsqueeze', `${m}/Unsqueeze_1`, [mask1], [attr.ints('axes', [2])]);
  const maskFloat = g.op('Cast', `${m}/Cast`, [mask2], [attr.int('to', TensorType.FLOAT)]);
  const inverted = g.op('Sub', `${m}/Sub`, [g.scalar(1), maskFloat]);
  const extendedMask = g.op('Mul', `${m}/Mul`, [inverted, g.scalar(MASK_NEGATIVE)]);

  const headsShape = g.int64s([0, 0, heads, headSize]);
  const mergedShape = g.int64s([0, 0, hidden]);
  const scale = g.scalar(Math.sqrt(headSize));

  weights.layers.forEach((layer, i) => {
    const p = `/${p0}/encoder/layer.${i}`;
    const w = `${p0}.encoder.layer.${i}`;
    const a = `${p}/attention/self`;
    const projectHeads = (name: 'query' | 'key' | 'value', perm: number[]): string => {
      const projected = dense(g, `${a}/${name}`, `${w}.attention.self.${name}`, hiddenStates, layer[name]);
      const split = g.op('Reshape', `${a}/Reshape${name === 'query' ? '' : name === 'key' ? '_1' : '_2'}`, [projected, headsShape]);
      return g.op('Transpose', `${a}/Transpose${name === 'query' ? '' : name === 'key' ? '_1' : '_2'}`, [split], [attr.ints('perm', perm)]);
    };
    const q = projectHeads('query', [0, 2, 1, 3]);
    // Key is transposed straight to [batch, heads, headSize, seq] (the exporter folds `.transpose(-1, -2)` in).
    const k = projectHeads('key', [0, 2, 3, 1]);
    const v = projectHeads('value', [0, 2, 1, 3]);
    const scores = g.op('MatMul', `${a}/MatMul`, [q, k]);
    const scaled = g.op('Div', `${a}/Div`, [scores, scale]);
    const masked = g.op('Add', `${a}/Add`, [scaled, extendedMask]);
    // axis=3 (not -1): the fusion compares the attribute's literal value.
    const probs = g.op('Softmax', `${a}/Softmax`, [masked], [attr.int('axis', 3)]);
    const context = g.op('MatMul', `${a}/MatMul_1`, [probs, v]);
    const contextT = g.op('Transpose', `${a}/Transpose_3`, [context], [attr.ints('perm', [0, 2, 1, 3])]);
    const merged = g.op('Reshape', `${a}/Reshape_3`, [contextT, mergedShape]);

    const o = `${p}/attention/output`;
    const attended = dense(g, `${o}/dense`, `${w}.attention.output.dense`, merged, layer.attentionOutput);
    const residual = g.op('Add', `${o}/Add`, [attended, hiddenStates]);
    const attentionOut = layerNorm(g, `${o}/LayerNorm`, `${w}.attention.output.LayerNorm`, residual, layer.attentionNorm, spec.layerNormEps);

    const up = dense(g, `${p}/intermediate/dense`, `${w}.intermediate.dense`, attentionOut, layer.intermediate);
    const activated = gelu(g, `${p}/intermediate/intermediate_act_fn`, up);
    const down = dense(g, `${p}/output/dense`, `${w}.output.dense`, activated, layer.output);
    const residual2 = g.op('Add', `${p}/output/Add`, [down, attentionOut]);
    hiddenStates = layerNorm(g, `${p}/output/LayerNorm`, `${w}.output.LayerNorm`, residual2, layer.outputNorm, spec.layerNormEps);
  });

  if (spec.architecture === 'bert') {
    // Pooler: first token, dense, tanh. Then the classifier. Both are 2-D, which the exporter writes as Gemm.
    const first = g.op('Gather', '/bert/pooler/Gather', [hiddenStates, g.int64s([0], [])], [attr.int('axis', 1)]);
    const pooled = g.op('Tanh', '/bert/pooler/activation/Tanh', [gemm(g, '/bert/pooler/dense/Gemm', 'bert.pooler.dense', first, weights.pooler)]);
    gemm(g, '/classifier/Gemm', 'classifier', pooled, weights.classifier, OUTPUT_NAME);
  } else {
    // ELECTRA / RoBERTa classification head: first token, dense, GELU or tanh, out_proj.
    const first = g.op('Gather', '/classifier/Gather', [hiddenStates, g.int64s([0], [])], [attr.int('axis', 1)]);
    const projected = gemm(g, '/classifier/dense/Gemm', 'classifier.dense', first, weights.pooler);
    const activated =
      spec.headActivation === 'gelu' ? gelu(g, '/classifier/activation', projected) : g.op('Tanh', '/classifier/Tanh', [projected]);
    gemm(g, '/classifier/out_proj/Gemm', 'classifier.out_proj', activated, weights.classifier, OUTPUT_NAME);
  }

  const dynamic = ['batch_size', 'sequence_length'];
  return {
    irVersion: IR_VERSION,
    producerName: 'crossrank-testing',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: BERT_OPSET }],
    graph: {
      name: 'main_graph',
      node: g.nodes,
      initializer: g.initializers,
      input: INPUT_NAMES.filter((name) => spec.tokenTypes || name !== 'token_type_ids').map((name) => valueInfo({ name, elemType: TensorType.INT64, dims: dynamic })),
      output: [valueInfo({ name: OUTPUT_NAME, elemType: TensorType.FLOAT, dims: ['batch_size', shape.numLabels] })],
    },
  };
}

/** A 3-D `nn.Linear`: MatMul with the transposed weight, then Add bias (the fusions expect this order). */
function dense(g: GraphBuilder, path: string, weightName: string, input: string, linear: Linear): string {
  const weight = g.weight(floatTensor(`onnx::MatMul_${weightName}.weight`, [linear.inFeatures, linear.outFeatures], linear.weight));
  const bias = g.weight(floatTensor(`${weightName}.bias`, [linear.outFeatures], linear.bias));
  const product = g.op('MatMul', `${path}/MatMul`, [input, weight]);
  return g.op('Add', `${path}/Add`, [product, bias]);
}

/** A 2-D `nn.Linear`: Gemm with the weight kept as PyTorch stores it, `[out, in]`, and transB=1. */
function gemm(g: GraphBuilder, name: string, weightName: string, input: string, linear: Linear, output?: string): string {
  const transposed = new Float32Array(linear.weight.length);
  for (let i = 0; i < linear.inFeatures; i++) {
    for (let o = 0; o < linear.outFeatures; o++) transposed[o * linear.inFeatures + i] = linear.weight[i * linear.outFeatures + o]!;
  }
  const weight = g.weight(floatTensor(`${weightName}.weight`, [linear.outFeatures, linear.inFeatures], transposed));
  const bias = g.weight(floatTensor(`${weightName}.bias`, [linear.outFeatures], linear.bias));
  const attributes = [attr.float('alpha', 1), attr.float('beta', 1), attr.int('transB', 1)];
  return g.op('Gemm', name, [input, weight, bias], attributes, output === undefined ? {} : { output });
}

/** LayerNorm decomposed as the exporter writes it below opset 17; ORT fuses it back into one op. */
function layerNorm(g: GraphBuilder, path: string, weightName: string, input: string, norm: LayerNorm, eps: number): string {
  const hidden = norm.gamma.length;
  const mean = g.op('ReduceMean', `${path}/ReduceMean`, [input], [attr.ints('axes', [-1])]);
  const centred = g.op('Sub', `${path}/Sub`, [input, mean]);
  const squared = g.op('Pow', `${path}/Pow`, [centred, g.scalar(2)]);
  const variance = g.op('ReduceMean', `${path}/ReduceMean_1`, [squared], [attr.ints('axes', [-1])]);
  const stabilised = g.op('Add', `${path}/Add`, [variance, g.scalar(eps)]);
  const std = g.op('Sqrt', `${path}/Sqrt`, [stabilised]);
  const normalised = g.op('Div', `${path}/Div`, [centred, std]);
  const gamma = g.weight(floatTensor(`${weightName}.weight`, [hidden], norm.gamma));
  const beta = g.weight(floatTensor(`${weightName}.bias`, [hidden], norm.beta));
  const scaled = g.op('Mul', `${path}/Mul`, [normalised, gamma]);
  return g.op('Add', `${path}/Add_1`, [scaled, beta]);
}

/** Exact (erf) GELU as the exporter writes it: x * 0.5 * (1 + erf(x / sqrt 2)). */
function gelu(g: GraphBuilder, path: string, input: string): string {
  const divided = g.op('Div', `${path}/Div`, [input, g.scalar(Math.SQRT2)]);
  const erf = g.op('Erf', `${path}/Erf`, [divided]);
  const shifted = g.op('Add', `${path}/Add`, [erf, g.scalar(1)]);
  const product = g.op('Mul', `${path}/Mul`, [input, shifted]);
  return g.op('Mul', `${path}/Mul_1`, [product, g.scalar(0.5)]);
}
