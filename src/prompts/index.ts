export { generatePrompts, type GeneratePromptsOptions, type GeneratePromptsResult, type PromptManifest } from './generate.js';
export { phoneDigits, quantity, speakable } from './mandarin.js';
export { espeakVoice, MissingToolError, requireTtsTools, speakToWav, TTS_INSTALL_HINT } from './tts.js';
export { NUMBERED_RANGES, numberedPromptFile, placeholdersOf, promptVariants, type PromptVariant } from './variants.js';
export { readWavInfo, type WavInfo } from './wav.js';
