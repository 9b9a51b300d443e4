// `sigmoid` lives in @crossrank/core: the TEI backend of @crossrank/api maps raw logits with it too.
export { sigmoid } from '@crossrank/core';
