import type { AnyModule } from '../types.js';
import command from './command.js';
import shell from './shell.js';
import raw from './raw.js';
import script from './script.js';
import waitFor from './wait_for.js';
import pause from './pause.js';
import setup from './setup.js';
import packageFacts from './package_facts.js';
import ping from './ping.js';
import asyncStatus from './async_status.js';

/** Modules of this area; add each new module to this list. */
export const modules: AnyModule[] = [command, shell, raw, script, waitFor, pause, setup, packageFacts, ping, asyncStatus];
