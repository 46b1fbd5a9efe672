import { z } from 'zod';

/**
 * The parts of Zou's documents Shotcaller reads. Loose objects: Zou adds fields release by release,
 * and those are not ours to refuse; a missing or mistyped field we use is an error naming it.
 */
const Id = z.string().min(1);
export const ZouLogin = z.looseObject({ access_token: z.string().min(1), refresh_token: z.string().min(1) });
export const ZouProject = z.looseObject({
  id: Id,
  name: z.string(),
  fps: z.union([z.string(), z.number()]).nullish(),
  resolution: z.string().nullish(),
  end_date: z.string().nullish(),
});
export const ZouEpisode = z.looseObject({ id: Id, name: z.string() });
export const ZouSequence = z.looseObject({ id: Id, name: z.string(), parent_id: Id.nullish() });
export const ZouShot = z.looseObject({
  id: Id,
  name: z.string(),
  parent_id: Id.nullish(),
  nb_frames: z.number().nullish(),
  description: z.string().nullish(),
  canceled: z.boolean().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
});
export const ZouTask = z.looseObject({ id: Id, task_type_id: Id, task_status_id: Id, entity_id: Id });
export const ZouTaskType = z.looseObject({ id: Id, name: z.string(), for_entity: z.string().nullish() });
export const ZouTaskStatus = z.looseObject({ id: Id, name: z.string(), short_name: z.string() });
export const ZouComment = z.looseObject({ id: Id, text: z.string().nullish(), task_status_id: Id.nullish() });

export type ZouProject = z.infer<typeof ZouProject>;
export type ZouSequence = z.infer<typeof ZouSequence>;
export type ZouShot = z.infer<typeof ZouShot>;
export type ZouTask = z.infer<typeof ZouTask>;
export type ZouTaskStatus = z.infer<typeof ZouTaskStatus>;
