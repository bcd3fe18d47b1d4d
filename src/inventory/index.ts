export type { Inventory, LoadOptions } from './types.js';
export { loadInventory } from './load.js';
