// PouchDB's own replicator against the same server, for bench/sync_bench.py.
//   node bench/pouchdb_replicate.js pull URL DB BATCH          -> pull DB into a memory database
//   node bench/pouchdb_replicate.js push URL DB BATCH FILE     -> push the JSON docs in FILE to DB
// Prints {"docs": N, "seconds": S} on one line.
const path = require("path");
const fs = require("fs");
// PouchDB 9 from bench/package.json (npm install in bench/), else the test server's copy
const own = path.join(__dirname, "node_modules");
const modules = fs.existsSync(path.join(own, "pouchdb")) ? own
  : path.join(__dirname, "..", "tests", "server", "node_modules");
const PouchDB = require(path.join(modules, "pouchdb"));
PouchDB.plugin(require(path.join(modules, "pouchdb-adapter-memory")));

async function main() {
  const [mode, url, name, batch, file] = process.argv.slice(2);
  const remote = new PouchDB(`${url}/${name}`, { skip_setup: true });
  const local = new PouchDB(`bench-${process.pid}`, { adapter: "memory" });
  const options = batch === "default" ? {} : { batch_size: Number(batch) };
  let seconds;
  if (mode === "pull") {
    const start = process.hrtime.bigint();
    const result = await local.replicate.from(remote, options);
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(JSON.stringify({ docs: result.docs_written, seconds }));
  } else {
    const docs = JSON.parse(fs.readFileSync(file, "utf8"));
    await local.bulkDocs(docs);
    const start = process.hrtime.bigint();
    const result = await local.replicate.to(remote, options);
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(JSON.stringify({ docs: result.docs_written, seconds }));
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
