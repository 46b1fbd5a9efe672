import {
  type ConsentRecord,
  ConsentRecord as ConsentRecordSchema,
  type Performer,
  Performer as PerformerSchema,
  type ShotRequest,
  type ShotRequestInput,
  ShotRequest as ShotRequestSchema,
} from '@shotcaller/contracts';

let counter = 0;
const next = () => ++counter;

/** A valid shot request; pass only the fields a test is about. */
export function aShotRequest(overrides: Partial<ShotRequestInput> = {}): ShotRequest {
  const n = next();
  return ShotRequestSchema.parse({
    show: 'NTH',
    episode: 'EP01',
    sequence: 'COL',
    shot: `COL_${String(n * 10).padStart(4, '0')}`,
    frames: { start: 1001, end: 1048 },
    resolution: { width: 1920, height: 1080 },
    brief: 'The north face of the tower shears off and falls into the square.',
    category: 'destruction',
    deliverable: 'temp',
    territories: ['US'],
    deadline: '2027-03-01T18:00:00Z',
    budgetLine: 'NTH-VFX',
    idempotencyKey: `test-${n}-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  });
}

/** A performer in the shot; likeness untouched unless the test says otherwise. */
export function aPerformer(overrides: Partial<Performer> = {}): Performer {
  const n = next();
  return PerformerSchema.parse({
    id: `perf-${n}`,
    name: `Performer ${n}`,
    union: 'sag-aftra',
    role: 'lead',
    ...overrides,
  });
}

/** A consent that covers `performerId` for show NTH, everywhere, from 2026 with no end. */
export function aConsent(overrides: Partial<ConsentRecord> = {}): ConsentRecord {
  const n = next();
  return ConsentRecordSchema.parse({
    id: `consent-${n}`,
    performerId: `perf-${n}`,
    performerName: `Performer ${n}`,
    grantedBy: 'performer',
    uses: ['digital-alteration'],
    intendedUse: 'De-ageing of the lead in the flashback scenes of episode 1, sequence COL.',
    shows: ['NTH'],
    territories: ['WW'],
    validFrom: '2026-01-01T00:00:00Z',
    compensationRef: `PAY-${n}`,
    represented: true,
    recordedBy: 'compliance@studio.test',
    recordedAt: '2026-01-02T00:00:00Z',
    ...overrides,
  });
}
