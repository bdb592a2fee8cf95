// Prints the Docker first-run check as JSON: run by first-run-checks.test.ts as another user.
import { parseSettings } from '../settings/settings-file';
import { checkDocker } from '../core/first-run-checks';

process.stdout.write(JSON.stringify(await checkDocker({ settings: parseSettings({}) })));
