import { errorMessage } from '@shotcaller/contracts';
import { z } from 'zod';
import { KitsuNotFound, KitsuRequestFailed, KitsuShapeInvalid, KitsuUnreachable } from './errors';
import {
  ZouComment,
  ZouEpisode,
  ZouLogin,
  ZouProject,
  ZouSequence,
  ZouShot,
  ZouTask,
  ZouTaskStatus,
  ZouTaskType,
} from './zou-schemas';

export interface KitsuCredentials {
  /** Zou's API root: `https://kitsu.studio.com/api` for a Kitsu install, the server itself for bare Zou. */
  url: string;
  email: string;
  password: string;
}

/**
 * A client of Zou's REST API (the API behind Kitsu): bearer tokens from `/auth/login`, renewed with
 * the refresh token when they expire, and every answer validated.
 */
export class KitsuClient {
  private access?: string;
  private refresh?: string;
  private readonly base: string;

  constructor(private readonly credentials: KitsuCredentials) {
    this.base = credentials.url.replace(/\/+$/, '');
  }

  private async fetch(path: string, init: RequestInit, what: string): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new KitsuUnreachable(this.base, `${what}: ${errorMessage(error)}`);
    }
  }

  async login(): Promise<void> {
    const response = await this.fetch(
      '/auth/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: this.credentials.email, password: this.credentials.password }),
      },
      'signing in',
    );
    if (!response.ok) throw await failure(response, `signing in as ${this.credentials.email}`);
    const tokens = parse(ZouLogin, await response.json(), 'the login answer');
    this.access = tokens.access_token;
    this.refresh = tokens.refresh_token;
  }

  private async renew(): Promise<void> {
    if (!this.refresh) return this.login();
    const response = await this.fetch(
      '/auth/refresh-token',
      { headers: { authorization: `Bearer ${this.refresh}` } },
      'renewing the token',
    );
    if (!response.ok) return this.login();
    this.access = parse(
      z.looseObject({ access_token: z.string() }),
      await response.json(),
      'the refresh answer',
    ).access_token;
  }

  async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    what: string,
    body?: unknown,
  ): Promise<z.output<S>> {
    if (!this.access) await this.login();
    for (let attempt = 0; ; attempt++) {
      const response = await this.fetch(
        path,
        {
          method,
          headers: {
            authorization: `Bearer ${this.access}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        },
        what,
      );
      // An expired access token is renewed once.
      if (response.status === 401 && attempt === 0) {
        await this.renew();
        continue;
      }
      if (response.status === 404) throw new KitsuNotFound(`Kitsu has no ${what.replace(/^reading /, '')}`);
      if (!response.ok) throw await failure(response, what);
      return parse(schema, await response.json(), what);
    }
  }

  projects() {
    return this.request('GET', '/data/projects', z.array(ZouProject), 'reading projects');
  }
  async projectByName(name: string) {
    const project = (await this.projects()).find((p) => p.name === name);
    if (!project) throw new KitsuNotFound(`Kitsu has no project named "${name}"`);
    return project;
  }
  episodes(projectId: string) {
    return this.request(
      'GET',
      `/data/projects/${projectId}/episodes`,
      z.array(ZouEpisode),
      'reading episodes',
    );
  }
  sequences(projectId: string) {
    return this.request(
      'GET',
      `/data/projects/${projectId}/sequences`,
      z.array(ZouSequence),
      'reading sequences',
    );
  }
  shots(projectId: string) {
    return this.request('GET', `/data/projects/${projectId}/shots`, z.array(ZouShot), 'reading shots');
  }
  /** The tasks of one type in a project, in one request (Zou filters its collections by field). */
  tasksOfType(projectId: string, taskTypeId: string) {
    const query = new URLSearchParams({ project_id: projectId, task_type_id: taskTypeId });
    return this.request('GET', `/data/tasks?${query}`, z.array(ZouTask), 'reading tasks');
  }

  taskTypes() {
    return this.request('GET', '/data/task-types', z.array(ZouTaskType), 'reading task types');
  }
  taskStatuses() {
    return this.request('GET', '/data/task-status', z.array(ZouTaskStatus), 'reading task statuses');
  }
  task(taskId: string) {
    return this.request('GET', `/data/tasks/${taskId}`, ZouTask, `reading task ${taskId}`);
  }
  comments(taskId: string) {
    return this.request(
      'GET',
      `/data/tasks/${taskId}/comments`,
      z.array(ZouComment),
      `reading the comments of task ${taskId}`,
    );
  }
  /** Posts a comment on a task and moves it to a status, as a Kitsu user does. */
  comment(taskId: string, taskStatusId: string, text: string) {
    return this.request(
      'POST',
      `/actions/tasks/${taskId}/comment`,
      ZouComment,
      `commenting on task ${taskId}`,
      {
        task_status_id: taskStatusId,
        comment: text,
      },
    );
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new KitsuShapeInvalid(
    `Kitsu answered ${what} with an unexpected shape: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
  );
}

async function failure(response: Response, what: string): Promise<KitsuRequestFailed> {
  const text = await response.text().catch(() => '');
  let detail = response.statusText;
  try {
    const json = JSON.parse(text) as { message?: string };
    if (json.message) detail = json.message;
  } catch {
    if (text) detail = text.slice(0, 200);
  }
  return new KitsuRequestFailed(response.status, what, detail);
}
