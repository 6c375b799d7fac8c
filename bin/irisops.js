#!/usr/bin/env node
import { main } from '../dist/cli.js';

const code = await main(process.argv);
process.exitCode = code;
// The command is done. Whatever still holds the event loop now is stuck, not working: a log
// write blocked on a reader that stopped reading (a paused pager) can hold it for good.
// Give it a moment, then end the process; a timer that does not itself keep the loop alive.
setTimeout(() => process.exit(code), 2000).unref();
