/**
 * kelpie's library interface: run playbooks from a script and follow them as a stream of
 * typed events (the stream the CLI's terminal output and reports are drawn from), load
 * inventories and playbooks, gather a host's facts.
 *
 * @example
 * import { run } from 'kelpie';
 * for await (const e of run({ playbooks: ['site.yaml'], inventory: 'inventory.yaml', checkMode: true })) {
 *   if (e.type === 'host_result') console.log(e.result.host, e.task.name, e.result.status);
 *   if (e.type === 'playbook_end') process.exitCode = e.exitCode;
 * }
 *
 * @packageDocumentation
 */
export { run, type RunOptions, type RunSettings, type InventoryInput } from './api/run.js';
export { gatherFacts, type GatherFactsOptions } from './api/facts.js';
export { loadInventory, type Inventory, type LoadOptions as InventoryLoadOptions } from './inventory/index.js';
export { loadPlaybook, PlaybookErrors, type LoadOptions as PlaybookLoadOptions, type LoadWarning, type Playbook, type Play } from './playbook/index.js';
export type { RunEvent, TaskRef, TaskHostResult, HostStats, HostStatus } from './output/events.js';
export type { FileDiff } from './modules/types.js';
export type { ConnectionDefaults } from './connection/index.js';
export { KelpieError, ConnectError } from './errors.js';
