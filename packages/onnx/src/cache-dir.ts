// Kept as the module index.ts exports `defaultModelCacheDir` from; the rules live with the other
// Hugging Face settings.
export { defaultModelCacheDir } from './hub/hub-settings.js';
