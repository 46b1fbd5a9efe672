export { describeShot } from './commands/shots';
export { exitCodes } from './exit-codes';
export { type Io, processIo } from './output';
export { addCommands, type CommandPlugin, runCli } from './program';
export type { RoleName, RunningRole } from './runtime/role';
export { availableRoles, type RunningShotcaller, startShotcaller } from './runtime/shotcaller-process';
export { csvColumns, readShotFiles, ShotFileUnreadable, validateEntries } from './shot-files';
