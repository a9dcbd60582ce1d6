// No tokenizer is bundled for every model Ouro may talk to, so the map's size is estimated the way
// most tokenizers average on code: about four characters a token. The estimate errs high on
// identifier-dense text, which keeps a rendered map inside its budget.

export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
