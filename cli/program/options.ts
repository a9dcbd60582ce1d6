// Flags several commands share, written once so their help reads the same everywhere.
import { Option } from 'commander';
import { EDIT_FORMATS } from '../../core/edits/formats/index.js';
import { BENCH_MODES } from '../../core/stats/bench-measure.js';

export const modelOption = () => new Option('-m, --model <name>', "model for openai/cerebras/gpu drafts (default: the preset's)");
export const baseUrlOption = () => new Option('--base-url <url>', 'OpenAI-compatible base URL for openai/cerebras/gpu drafts');
export const benchModeOption = () => new Option('--bench-mode <mode>', 'wall time, JSON metric lines, or callgrind instruction counts').choices(BENCH_MODES);
export const editFormatOption = () => new Option('--edit-format <format>', 'how the model writes edits').choices([...EDIT_FORMATS]);
export const preflightOption = () => new Option('--no-preflight', 'skip the provider key/URL check before starting');
export const jsonOption = () => new Option('--json', 'machine-readable output');

export const LOCAL_MODEL_HELP =
  'the embedded model local drafts use: qwen2.5-coder-1.5b (default), qwen2.5-coder-0.5b, smollm2-135m, or a GGUF path (sets OURO_LOCAL_MODEL)';
