import { InvalidArgumentError, type JSONObject, type JSONValue, type RerankingModelV4CallOptions, type SharedV4Warning } from '@ai-sdk/provider';

/**
 * The texts a cross-encoder scores, one per document in input order. Text documents are scored as
 * they are. Object documents are sent as JSON, as the AI SDK's hosted providers do (a
 * `compatibility` warning says so), unless `fields` names what to score.
 */
export function documentTexts(
  documents: RerankingModelV4CallOptions['documents'],
  fields: readonly string[] | undefined,
): { texts: string[]; warnings: SharedV4Warning[] } {
  checkDocumentValues(documents);
  if (documents.type === 'text') {
    const warnings: SharedV4Warning[] = fields
      ? [{ type: 'unsupported', feature: 'providerOptions.crossrank.fields', details: 'Text documents are scored as they are; fields applies to object documents.' }]
      : [];
    return { texts: [...documents.values], warnings };
  }
  if (!fields) {
    return {
      texts: documents.values.map((value) => JSON.stringify(value)),
      warnings: [
        {
          type: 'compatibility',
          feature: 'object documents',
          details:
            "Each object is scored as its JSON text; a cross-encoder reads prose better. Name the text field(s) with providerOptions: { crossrank: { fields: ['title', 'content'] } }.",
        },
      ],
    };
  }
  return { texts: documents.values.map((value, i) => fieldText(value, i, fields)), warnings: [] };
}

function fieldText(document: JSONObject, index: number, fields: readonly string[]): string {
  const parts: string[] = [];
  for (const field of fields) {
    // Own properties only: a field named 'constructor' or 'toString' must not reach the prototype.
    if (!Object.prototype.hasOwnProperty.call(document, field)) continue;
    const text = valueText(document[field]);
    if (text !== undefined) parts.push(text);
  }
  if (parts.length === 0) {
    throw new InvalidArgumentError({
      argument: 'documents',
      message: `documents[${index}] has none of the fields providerOptions.crossrank.fields names (${fields.map((f) => JSON.stringify(f)).join(', ')}); its fields are ${describeKeys(document)}. Name fields every document has.`,
    });
  }
  return parts.join('\n');
}

function valueText(value: JSONValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function describeKeys(document: JSONObject): string {
  const keys = Object.keys(document);
  if (keys.length === 0) return 'none';
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k));
  return keys.length > 8 ? `${shown.join(', ')}, ...` : shown.join(', ');
}

/**
 * `ai` picks the documents' type from the first one, so a list that mixes strings and objects, or
 * holds numbers, reaches the model as it is. Scoring `1` as the text "1", or an object inside text
 * documents, would rank nonsense: reject them, in the AI SDK's terms, as crossrank's core rejects
 * anything but strings.
 */
function checkDocumentValues(documents: RerankingModelV4CallOptions['documents']): void {
  const values = documents.values as readonly unknown[];
  values.forEach((value, i) => {
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (typeof value === 'string' || isObject) {
      if ((documents.type === 'text') === (typeof value === 'string')) return;
      const first = documents.type === 'text' ? 'a string' : 'an object';
      throw new InvalidArgumentError({
        argument: 'documents',
        message:
          `documents[${i}] is ${typeof value === 'string' ? 'a string' : 'an object'} but documents[0] is ${first}: rerank() takes all strings or all ` +
          "JSON objects. Pass the texts, or objects for every document (with providerOptions: { crossrank: { fields: ['text'] } } to name the field to score).",
      });
    }
    throw new InvalidArgumentError({
      argument: 'documents',
      message: `documents[${i}] must be a string or a JSON object, got ${describeDocument(value)}. Pass the text to score${typeof value === 'number' ? ` (e.g. String(${value}))` : ''}.`,
    });
  });
}

function describeDocument(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value} ${String(value)}`;
}
