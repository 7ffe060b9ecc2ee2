// A bounded HTTP load on 127.0.0.1, run as a process of its own by bench-serving.mjs:
// `requests` GETs of `url`, `concurrency` at a time over keep-alive connections, after
// `warmup` untimed ones. Prints {"rps": …, "errors": …} as JSON.
//
//   node scripts/load.mjs <url> <requests> <concurrency> <warmup> [headers-json]
import { Agent, request } from "node:http";
import { URL } from "node:url";

const [url, requestsArg, concurrencyArg, warmupArg, headersArg = "{}"] = process.argv.slice(2);
const target = new URL(url);
if (target.hostname !== "127.0.0.1") {
  console.error("load.mjs sends requests to 127.0.0.1 only.");
  process.exit(2);
}
const requests = Number(requestsArg);
const concurrency = Number(concurrencyArg);
const warmup = Number(warmupArg);
const headers = JSON.parse(headersArg);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

/** One GET, its body read to the end; resolves whether it answered 200. */
function get() {
  return new Promise((resolve) => {
    const req = request(target, { agent, headers, timeout: 10_000 }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => resolve(res.statusCode === 200));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** `count` GETs, `concurrency` at a time; the number that failed. */
async function run(count) {
  let next = 0;
  let errors = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      if (!(await get())) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return errors;
}

await run(warmup);
const start = process.hrtime.bigint();
const errors = await run(requests);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
agent.destroy();
console.log(JSON.stringify({ rps: requests / seconds, errors }));
