/**
 * The model both routes use: CROSSRANK_MODEL (a hub id or a local folder), else MiniLM from the hub.
 * CI points it at a generated test model (random weights) so nothing is downloaded.
 */
export const MODEL = process.env.CROSSRANK_MODEL ?? 'Xenova/ms-marco-MiniLM-L-6-v2';
