// Worker thread (plain CommonJS, no loader needed): copies the SQLite write-ahead log back into
// the database file from its own connection, so that the server's thread never stalls on a
// checkpoint's writes and fsyncs while it serves live documents (see wal-checkpointer.ts).
// PASSIVE never blocks the server's writers or readers; commits stay exactly as durable.
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');

let timer = null;
function checkpoint() {
	try {
		db.pragma('wal_checkpoint(PASSIVE)');
	} catch (err) {
		parentPort.postMessage({ type: 'error', message: String((err && err.message) || err) });
	}
}
timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (msg) => {
	if (msg && msg.type === 'stop') {
		clearInterval(timer);
		checkpoint();
		db.close();
		parentPort.close();
	}
});
