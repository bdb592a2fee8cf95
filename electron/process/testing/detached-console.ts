// A stand-in console for the detached-process tests: starts (or adopts) the process the JSON
// argument describes, prints its status as one JSON line, then idles until it is killed.
import { DetachedProcess, type DetachedProcessOptions } from '../detached-process';

const options = JSON.parse(process.argv[2] ?? '{}') as DetachedProcessOptions;
console.log(JSON.stringify(await new DetachedProcess(options).start()));
setInterval(() => undefined, 60_000);
