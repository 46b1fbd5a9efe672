import { randomUUID } from 'node:crypto';
import { CBORBox, type IBox } from '@trustnxt/c2pa-ts/jumbf';
import type { Claim } from '@trustnxt/c2pa-ts/manifest';
import {
  ActionAssertion,
  Assertion,
  ClaimVersion,
  DataHashAssertion,
  IngredientAssertion,
  type Manifest,
  ManifestStore,
  RelationshipType,
  TrainingAndDataMiningAssertion,
} from '@trustnxt/c2pa-ts/manifest';
import type { SigningIdentity } from './signing-identity';

/** The C2PA specification version the manifests follow (claims v2, actions v2, ingredients v3). */
export const C2PA_SPEC_VERSION = '2.1';
export const CLAIM_GENERATOR = { name: 'Shotcaller', version: '0.1.0' } as const;

export const DIGITAL_SOURCE_TYPE = {
  trainedAlgorithmicMedia: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
  compositeWithTrainedAlgorithmicMedia:
    'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
} as const;

/** Shotcaller's own assertions, under its reverse-domain prefix as C2PA asks of entity-specific labels. */
export const SHOT_ASSERTION = 'io.shotcaller.shot';
export const DELIVERY_ASSERTION = 'io.shotcaller.delivery';
/** The training-and-data-mining uses a manifest refuses, by C2PA (deprecated since 2.0, still read) and CAWG name. */
const TDM_KEYS = ['data_mining', 'ai_inference', 'ai_generative_training', 'ai_training'] as const;

/** The UUID C2PA gives CBOR assertion boxes. */
const CBOR_ASSERTION_UUID = new Uint8Array(Buffer.from('63626f72001100108000' + '00aa00389b71', 'hex'));

/**
 * An assertion whose content is a plain CBOR map Shotcaller defines (C2PA allows entity-specific
 * assertions): the library writes the JUMBF box, this only says what goes in it.
 */
export class ShotcallerAssertion extends Assertion {
  override label: string;
  override uuid = CBOR_ASSERTION_UUID;
  data: Record<string, unknown>;
  constructor(label: string, data: Record<string, unknown>) {
    super();
    this.label = label;
    // JSON's data model only: no undefined, no Dates, no typed arrays for CBOR to surprise anyone with.
    this.data = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  }
  override readContentFromJUMBF(box: IBox, _claim: Claim): void {
    this.data = (box as CBORBox).content as Record<string, unknown>;
  }
  override generateJUMBFBoxForContent(): IBox {
    const box = new CBORBox();
    box.content = this.data;
    return box;
  }
}

export interface ShotRef {
  id: string;
  show: string;
  episode?: string;
  sequence: string;
  shot: string;
  attempt: number;
}

/** A shot as a manifest names it, from the shot as Shotcaller keeps it. */
export function shotRefOf(shot: {
  id: string;
  show: string;
  attempt: number;
  request: { episode?: string | undefined; sequence: string; shot: string };
}): ShotRef {
  return {
    id: shot.id,
    show: shot.show,
    ...(shot.request.episode ? { episode: shot.request.episode } : {}),
    sequence: shot.request.sequence,
    shot: shot.request.shot,
    attempt: shot.attempt,
  };
}

/** A reference asset given to the AI, with its SHA-256 when Shotcaller could read it. */
export interface ReferenceInput {
  uri: string;
  kind: string;
  rights: string;
  sha256?: string;
  /** Why there is no hash, when there is none. */
  unhashed?: string;
}

/** What Shotcaller knows about a frame a genai provider made. */
export interface GeneratedAsset {
  kind: 'generated';
  /** The file's name. */
  title: string;
  shot: ShotRef;
  frame?: number;
  provider: string;
  model: string;
  modelVersion: string;
  workflowHash: string;
  seed: number;
  prompt: string;
  startedAt: Date;
  finishedAt: Date;
  references: ReferenceInput[];
  routing: {
    route: string;
    provider?: string;
    policyId: string;
    policyVersion: string;
    decidedBy: string;
    matchedRules: string[];
    overridden: boolean;
  };
  compliance: {
    outcome: string;
    consentIds: string[];
    approvalIds: string[];
    ruleCatalogueVersion: string;
  };
}

/** What Shotcaller knows about a file a vendor delivered (Shotcaller did not make it). */
export interface DeliveredAsset {
  kind: 'delivered';
  title: string;
  shot: ShotRef;
  vendorId: string;
  ticketId: string;
  sha256: string;
  receivedAt: Date;
}

export type AssetFacts = GeneratedAsset | DeliveredAsset;

function trainingMining(cawg: boolean): TrainingAndDataMiningAssertion {
  const a = new TrainingAndDataMiningAssertion(cawg);
  for (const key of TDM_KEYS)
    a.entries[`${cawg ? 'cawg' : 'c2pa'}.${key}`] = { choice: 'notAllowed' as never };
  return a;
}

function shotData(s: ShotRef) {
  return {
    id: s.id,
    show: s.show,
    episode: s.episode,
    sequence: s.sequence,
    shot: s.shot,
    attempt: s.attempt,
  };
}

/**
 * A manifest store with one manifest for the asset, every assertion but the hard binding in place: the
 * caller adds the data hash (its exclusions depend on where the manifest goes) and signs.
 */
export function buildManifest(
  facts: AssetFacts,
  format: string,
  identity: SigningIdentity,
): { store: ManifestStore; manifest: Manifest; dataHash: DataHashAssertion } {
  const store = new ManifestStore();
  const manifest = store.createManifest({
    claimVersion: ClaimVersion.V2,
    assetFormat: format,
    instanceID: `xmp:iid:${randomUUID()}`,
    defaultHashAlgorithm: 'SHA-256',
    signer: identity.signer,
  });
  manifest.claim!.claimGeneratorName = CLAIM_GENERATOR.name;
  manifest.claim!.claimGeneratorVersion = CLAIM_GENERATOR.version;
  manifest.claim!.title = facts.title;

  const actions = new ActionAssertion();
  actions.label = 'c2pa.actions.v2';
  if (facts.kind === 'generated') {
    const ingredients = facts.references.map((r, n) => {
      const i = IngredientAssertion.createV3(RelationshipType.InputTo);
      // Several assertions of one kind are told apart by a suffix: c2pa.ingredient.v3, …__1, …__2.
      if (n > 0) i.labelSuffix = n;
      i.title = r.uri;
      i.format = formatOfUri(r.uri);
      i.instanceID = `xmp:iid:${randomUUID()}`;
      i.description = `${r.kind} given to ${facts.provider}/${facts.model} (rights: ${r.rights})${r.sha256 ? '' : `; not hashed: ${r.unhashed ?? 'unreadable'}`}`;
      if (r.sha256) i.metadata = { 'io.shotcaller.sha256': r.sha256 };
      manifest.addAssertion(i);
      return i;
    });
    const composite = facts.references.some((r) => r.kind === 'plate');
    actions.actions = [
      {
        action: 'c2pa.created' as never,
        digitalSourceType: (composite
          ? DIGITAL_SOURCE_TYPE.compositeWithTrainedAlgorithmicMedia
          : DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia) as never,
        softwareAgent: { name: `${facts.provider}/${facts.model}`, version: facts.modelVersion },
        description: composite ? 'AI work composited onto a plate' : 'made by a trained generative model',
        parameters: {
          'io.shotcaller.workflowHash': facts.workflowHash,
          ...(ingredients.length > 0
            ? { ingredients: ingredients.map((i) => manifest.createAssertionReference(i)) }
            : {}),
        },
      },
    ];
  } else {
    // The vendor's bytes are the vendor's: the manifest is a sidecar that opens them as its parent.
    const parent = IngredientAssertion.createV3(RelationshipType.ParentOf);
    parent.title = facts.title;
    parent.format = formatOfUri(facts.title);
    parent.instanceID = `xmp:iid:${randomUUID()}`;
    parent.description = `delivered by vendor ${facts.vendorId} for shot ${facts.shot.id}`;
    parent.metadata = { 'io.shotcaller.sha256': facts.sha256 };
    manifest.addAssertion(parent);
    actions.actions = [
      {
        action: 'c2pa.opened' as never,
        description: `received by Shotcaller from vendor ${facts.vendorId}`,
        parameters: { ingredients: [manifest.createAssertionReference(parent)] },
      },
    ];
  }
  manifest.addAssertion(actions);
  manifest.addAssertion(trainingMining(false));
  manifest.addAssertion(trainingMining(true));
  manifest.addAssertion(
    facts.kind === 'generated'
      ? new ShotcallerAssertion(SHOT_ASSERTION, {
          shot: shotData(facts.shot),
          frame: facts.frame,
          generation: {
            provider: facts.provider,
            model: facts.model,
            modelVersion: facts.modelVersion,
            workflowHash: facts.workflowHash,
            seed: facts.seed,
            prompt: facts.prompt,
            startedAt: facts.startedAt.toISOString(),
            finishedAt: facts.finishedAt.toISOString(),
          },
          references: facts.references,
          routing: facts.routing,
          compliance: facts.compliance,
        })
      : new ShotcallerAssertion(DELIVERY_ASSERTION, {
          shot: shotData(facts.shot),
          vendorId: facts.vendorId,
          ticketId: facts.ticketId,
          sha256: facts.sha256,
          receivedAt: facts.receivedAt.toISOString(),
        }),
  );
  const dataHash = DataHashAssertion.create('SHA-256');
  manifest.addAssertion(dataHash);
  return { store, manifest, dataHash };
}

function formatOfUri(uri: string): string {
  const ext = uri
    .toLowerCase()
    .split(/[?#]/)[0]!
    .match(/\.([a-z0-9]+)$/)?.[1];
  const known: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    exr: 'image/x-exr',
    tif: 'image/tiff',
    tiff: 'image/tiff',
    mov: 'video/quicktime',
    mp4: 'video/mp4',
    pdf: 'application/pdf',
    obj: 'model/obj',
    hdr: 'image/vnd.radiance',
  };
  return (ext && known[ext]) ?? 'application/octet-stream';
}
