export {
  LabourFigures,
  LabourImpactReport,
  LabourScope,
  LabourShot,
  LabourSide,
  RecordedEstimate,
  ReturnCause,
} from '@shotcaller/contracts';
export { isoWeek } from './iso-week';
export { labourColumns, labourImpactCsv } from './labour-csv';
export { groupFigures, sumFigures } from './labour-figures';
export { labourBases, labourImpact } from './labour-impact';
export { labourComparisonRows, labourGroupColumns, tenths, type WholeMoney } from './labour-table';
export { formatWhole, wholeUnits } from './precision';
export { readShowEvents } from './read-events';
export { foldShots, labourShotOf, recordedEstimate, type ShotFold } from './shot-labour';
