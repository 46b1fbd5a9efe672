/**
 * Node classes as ComfyUI's `GET /object_info` describes them (the V1 format of `server.py`'s
 * `node_info`), for the nodes the test workflows use: a sampler workflow and one without a sampler.
 */
export function objectInfo(models: readonly string[]): Record<string, unknown> {
  const node = (
    name: string,
    required: Record<string, unknown[]>,
    output: string[],
    extra: Record<string, unknown> = {},
  ) => ({
    input: { required },
    input_order: { required: Object.keys(required) },
    is_input_list: false,
    output,
    output_is_list: output.map(() => false),
    output_name: output,
    name,
    display_name: name,
    description: '',
    python_module: 'nodes',
    category: 'test',
    output_node: false,
    has_intermediate_output: false,
    search_aliases: [],
    ...extra,
  });
  const size = (d: number) => ['INT', { default: d, min: 16, max: 16384, step: 8 }];
  return {
    CheckpointLoaderSimple: node(
      'CheckpointLoaderSimple',
      { ckpt_name: [[...models], { tooltip: 'The name of the checkpoint (model) to load.' }] },
      ['MODEL', 'CLIP', 'VAE'],
    ),
    CLIPTextEncode: node(
      'CLIPTextEncode',
      { text: ['STRING', { multiline: true, dynamicPrompts: true }], clip: ['CLIP'] },
      ['CONDITIONING'],
    ),
    EmptyLatentImage: node(
      'EmptyLatentImage',
      { width: size(512), height: size(512), batch_size: ['INT', { default: 1, min: 1, max: 4096 }] },
      ['LATENT'],
    ),
    KSampler: node(
      'KSampler',
      {
        model: ['MODEL'],
        seed: ['INT', { default: 0, min: 0, max: Number.MAX_SAFE_INTEGER, control_after_generate: true }],
        steps: ['INT', { default: 20, min: 1, max: 10000 }],
        cfg: ['FLOAT', { default: 8, min: 0, max: 100, step: 0.1, round: 0.01 }],
        sampler_name: [['euler', 'euler_ancestral', 'heun', 'dpmpp_2m', 'dpmpp_sde']],
        scheduler: [['simple', 'normal', 'karras', 'exponential', 'sgm_uniform']],
        positive: ['CONDITIONING'],
        negative: ['CONDITIONING'],
        latent_image: ['LATENT'],
        denoise: ['FLOAT', { default: 1, min: 0, max: 1, step: 0.01 }],
      },
      ['LATENT'],
    ),
    VAEDecode: node('VAEDecode', { samples: ['LATENT'], vae: ['VAE'] }, ['IMAGE']),
    SaveImage: {
      ...node('SaveImage', { images: ['IMAGE'], filename_prefix: ['STRING', { default: 'ComfyUI' }] }, [], {
        output_node: true,
      }),
      input: {
        required: { images: ['IMAGE'], filename_prefix: ['STRING', { default: 'ComfyUI' }] },
        hidden: { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' },
      },
    },
    EmptyImage: node(
      'EmptyImage',
      {
        width: ['INT', { default: 512, min: 1, max: 16384, step: 1 }],
        height: ['INT', { default: 512, min: 1, max: 16384, step: 1 }],
        batch_size: ['INT', { default: 1, min: 1, max: 4096 }],
        color: ['INT', { default: 0, min: 0, max: 0xffffff, step: 1, display: 'color' }],
      },
      ['IMAGE'],
    ),
    ImageBlur: node(
      'ImageBlur',
      {
        image: ['IMAGE'],
        blur_radius: ['INT', { default: 1, min: 1, max: 31, step: 1 }],
        sigma: ['FLOAT', { default: 1, min: 0.1, max: 10, step: 0.1 }],
      },
      ['IMAGE'],
    ),
    ImageScale: node(
      'ImageScale',
      {
        image: ['IMAGE'],
        upscale_method: [['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos']],
        width: ['INT', { default: 512, min: 0, max: 16384, step: 1 }],
        height: ['INT', { default: 512, min: 0, max: 16384, step: 1 }],
        crop: [['disabled', 'center']],
      },
      ['IMAGE'],
    ),
  };
}
