import { resolve } from 'node:path';

/** The CLI's store without --store and $HONE_STORE. */
export const DEFAULT_STORE = '.hone';

/** `word` as one shell word: as it is when a shell reads no character of it, else single-quoted. */
export const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * What a printed `hone ...` command needs to act on store `storeDir`: nothing for the default store,
 * else ` --store <dir>`. Without it, `hone sweep resume <id>` after a sweep in another store looks in the
 * default store and finds no such sweep.
 */
export const storeOption = (storeDir: string): string => (resolve(storeDir) === resolve(DEFAULT_STORE) ? '' : ` --store ${shellWord(storeDir)}`);
