/** Comma-separated check ids to skip, set by the bin's `--skip`. */
export const SKIP_ENV = 'FEAST_UNIVERSAL_TESTS_SKIP';
/** Comma-separated check ids to run (all others are left out), set by the bin's `--only`. */
export const ONLY_ENV = 'FEAST_UNIVERSAL_TESTS_ONLY';
