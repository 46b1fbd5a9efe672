import { readFile } from 'node:fs/promises';
import { errorMessage, type ShotRequest } from '@shotcaller/contracts';
import { describeRefusal } from './comfyui-protocol';
import { ObjectInfo, validateWorkflow } from './comfyui-validate';
import { type ProviderConfig, parseProviderConfig } from './create-adapter';
import { HttpTaskConfig, protocolFor } from './http-task-adapter';
import { fillWorkflow } from './workflow-template';

/** One thing `genai check` tried: reachable, authenticated, the workflow template valid… */
export interface CheckResult {
  check: 'reachable' | 'authenticated' | 'model' | 'workflow';
  ok: boolean;
  detail: string;
}

const TIMEOUT_MS = 10_000;

/** A shot of the usual kind, to fill a template with before it is checked. */
const sampleTask = {
  taskId: 'check',
  shotId: 'check',
  seed: 1234,
  outputDir: '',
  request: {
    show: 'CHECK',
    sequence: 'SQ010',
    shot: 'SQ010_0010',
    brief: 'Dust wave rolls down the avenue',
    frames: { start: 1001, end: 1024 },
    resolution: { width: 1920, height: 1080 },
    fps: 24,
  } as ShotRequest,
};

async function get(url: string, headers: Record<string, string>): Promise<Response | Error> {
  try {
    return await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return new Error(cause?.code ?? cause?.message ?? errorMessage(error));
  }
}

/**
 * Connects to a configured provider and says what works, so a TD can check a set-up before submitting
 * shots: that it answers, that it takes the credentials, and for ComfyUI that the workflow template is
 * in API format and valid against the server's `/object_info`. Nothing is queued and nothing is paid for.
 */
export async function checkProvider(input: unknown): Promise<CheckResult[]> {
  const provider = parseProviderConfig(input);
  switch (provider.kind) {
    case 'local':
      return [
        { check: 'reachable', ok: true, detail: 'the embedded generator runs in the genai worker itself' },
      ];
    case 'comfyui':
      return checkComfyUi(provider);
    case 'http-task':
      return checkHttpTask(provider.name, provider.httpTask);
  }
}

async function checkComfyUi(p: Extract<ProviderConfig, { kind: 'comfyui' }>): Promise<CheckResult[]> {
  const base = p.baseUrl.replace(/\/+$/, '');
  const headers = p.headers ?? {};
  const out: CheckResult[] = [];
  const stats = await get(`${base}/system_stats`, headers);
  if (stats instanceof Error)
    return [{ check: 'reachable', ok: false, detail: `cannot reach ComfyUI at ${base}: ${stats.message}` }];
  if (stats.status === 401 || stats.status === 403)
    return [
      { check: 'reachable', ok: true, detail: `${base} answers` },
      {
        check: 'authenticated',
        ok: false,
        detail: `${base} refused the credentials (HTTP ${stats.status}): check the provider's headers`,
      },
    ];
  if (!stats.ok)
    return [
      {
        check: 'reachable',
        ok: false,
        detail: `${base} answered HTTP ${stats.status} to /system_stats: is it a ComfyUI server?`,
      },
    ];
  const version = ((await stats.json().catch(() => ({}))) as { system?: { comfyui_version?: string } }).system
    ?.comfyui_version;
  out.push({ check: 'reachable', ok: true, detail: `ComfyUI ${version ?? '(version unknown)'} at ${base}` });
  out.push({
    check: 'authenticated',
    ok: true,
    detail: Object.keys(headers).length ? 'the credentials were accepted' : 'no credentials needed',
  });
  out.push(await checkWorkflow(base, headers, p.workflowFile));
  return out;
}

async function checkWorkflow(
  base: string,
  headers: Record<string, string>,
  file: string,
): Promise<CheckResult> {
  const fail = (detail: string): CheckResult => ({
    check: 'workflow',
    ok: false,
    detail: `${file}: ${detail}`,
  });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return fail(`cannot read it: ${errorMessage(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON: ${errorMessage(error)}`);
  }
  if (parsed && typeof parsed === 'object' && 'nodes' in parsed && 'links' in parsed)
    return fail(
      "this is ComfyUI's UI format (nodes and links); export the workflow with Workflow → Export (API) instead",
    );
  const nodes = Object.values((parsed ?? {}) as Record<string, unknown>);
  if (nodes.length === 0 || !nodes.every((n) => n && typeof n === 'object' && 'class_type' in n))
    return fail('not a workflow in API format: every entry must be a node with class_type and inputs');
  const { prompt } = fillWorkflow(text, sampleTask, 0.5);
  const info = await get(`${base}/object_info`, headers);
  if (info instanceof Error || !info.ok)
    return fail(
      `could not read /object_info: ${info instanceof Error ? info.message : `HTTP ${info.status}`}`,
    );
  const catalogue = ObjectInfo.safeParse(await info.json());
  if (!catalogue.success) return fail('/object_info did not answer with node definitions');
  const result = validateWorkflow(prompt as never, catalogue.data);
  if (result.error || Object.keys(result.node_errors).length > 0)
    return fail(
      describeRefusal(
        {
          error: result.error ?? {
            type: '',
            message: 'Some outputs failed validation',
            details: '',
            extra_info: {},
          },
          node_errors: result.node_errors,
        },
        prompt as never,
      ),
    );
  const used = ['brief', 'seed', 'frames', 'width', 'height', 'shot'].filter((k) =>
    text.includes(`{{${k}}}`),
  );
  const missing = ['brief', 'seed'].filter((k) => !used.includes(k));
  return {
    check: 'workflow',
    ok: true,
    detail: `${file}: ${Object.keys(prompt).length} nodes valid against /object_info, outputs ${result.outputs.join(', ')}; placeholders ${used.map((k) => `{{${k}}}`).join(' ') || 'none'}${missing.length ? ` (no ${missing.map((k) => `{{${k}}}`).join(', ')}: every shot gets the same ${missing.join(' and ')})` : ''}`,
  };
}

async function checkHttpTask(name: string, input: HttpTaskConfig): Promise<CheckResult[]> {
  const config = HttpTaskConfig.parse(input);
  const protocol = protocolFor(config);
  const base = config.baseUrl.replace(/\/+$/, '');
  const [header, value] = protocol.auth();
  const response = await get(protocol.probe(), { [header]: value });
  if (response instanceof Error)
    return [
      { check: 'reachable', ok: false, detail: `cannot reach ${name} at ${base}: ${response.message}` },
    ];
  if (response.status >= 500)
    return [{ check: 'reachable', ok: false, detail: `${name} at ${base} answered HTTP ${response.status}` }];
  const reachable: CheckResult = { check: 'reachable', ok: true, detail: `${name} answers at ${base}` };
  if (response.status === 401 || response.status === 403)
    return [
      reachable,
      { check: 'authenticated', ok: false, detail: `${name} refused the API key (HTTP ${response.status})` },
    ];
  const authenticated: CheckResult = { check: 'authenticated', ok: true, detail: `${name} took the API key` };
  // Replicate names the model it was asked about: a 404 there is a model that does not exist.
  if (config.preset === 'replicate' && config.model)
    return [
      reachable,
      authenticated,
      response.ok
        ? { check: 'model', ok: true, detail: `model ${config.model} exists` }
        : {
            check: 'model',
            ok: false,
            detail: `${name} has no model ${config.model} (HTTP ${response.status})`,
          },
    ];
  return [reachable, authenticated];
}
