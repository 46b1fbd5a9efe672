export { type Comparison, compareShot, type ExistingShot, editorialOf } from './compare';
export { CutClip, CutDocument } from './cut-document';
export { CutUnreadable, NoSuchTrack, OtioMissing } from './errors';
export { recordTurnover, turnoverHistory, turnoverSubject } from './history';
export { describeChange, importTurnover, type TurnoverOptions, type TurnoverSink } from './import-turnover';
export {
  namePattern,
  sameRate,
  supportedRates,
  TurnoverMapping,
  type TurnoverMappingInput,
} from './mapping';
export { otioPython, type ReadOptions, readCut, readCutText } from './read-cut';
export { type Selection, selectShots, type TurnoverShot } from './select-shots';
export { frameRangeOf, newRequest, revisedRequest, turnoverKey } from './to-request';
