/** The lab: throwaway Debian hosts on this machine for tests, the demo and the benchmark. */
export type { Lab, LabHost } from './types.js';
export { ensureImage, lastBuildTimes } from './image.js';
export { labUp, labDown, labStatus, hostAlive, type LabUpOptions } from './lab.js';
export { labInventoryYaml, labSshConfig } from './access.js';
export { labPrerequisites } from './prereq.js';
export { snapshotUpper, diffSnapshots, SNAPSHOT_NOISE } from './snapshot.js';
export { runInHost } from './run.js';
export { hostMemoryKiB } from './metrics.js';
export { LAB_REPO_PACKAGES, LAB_IMAGE_PACKAGES } from './packages.js';
