// Jest loads its global set-up outside its module mapping: this loads the TypeScript one (pulsar-global.ts)
// through tsx, as every other entry point of the repository runs.
import { tsImport } from 'tsx/esm/api';

const load = () => tsImport('./pulsar-global.ts', import.meta.url);
export const setUp = async () => (await load()).default();
export const tearDown = async () => (await load()).tearDown();
export default setUp;
