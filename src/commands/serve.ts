import type { Context } from '../context.js';
import { NotImplementedError } from '../errors.js';

export async function run(_ctx: Context, _args: string[], _options: Record<string, unknown>): Promise<void> {
  throw new NotImplementedError('irisops serve');
}
