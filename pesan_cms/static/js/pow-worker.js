/* PESAN reference site: the solver of the anti-robot check (ALTCHA proof of work), run in a Web Worker so the
   page stays responsive. Written for this site (no third-party code); started by js/site.js.

   Message in:  a challenge {algorithm: "SHA-256", challenge: hex, salt: string, maxnumber: int, signature: hex}.
   Message out: {number: int} — the n in 0…maxnumber with SHA-256(salt + n) === challenge — or {error: string}.

   crypto.subtle.digest is asynchronous; hashing one number at a time spends most of the time waiting, so numbers
   are hashed in batches (Promise.all) and each digest is compared byte by byte with the challenge. */
"use strict";

var BATCH = 256;

function hexToBytes(hex) {
  var bytes = new Uint8Array(hex.length / 2);
  for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  return bytes;
}

function matches(buffer, wanted) {
  var got = new Uint8Array(buffer);
  if (got.length !== wanted.length) return false;
  for (var i = 0; i < got.length; i++) if (got[i] !== wanted[i]) return false;
  return true;
}

async function solve(challenge) {
  if (challenge.algorithm !== "SHA-256") throw new Error("unsupported algorithm " + challenge.algorithm);
  if (!self.crypto || !self.crypto.subtle) throw new Error("crypto.subtle is not available (not a secure context)");
  var wanted = hexToBytes(challenge.challenge);
  var encoder = new TextEncoder();
  var max = Number(challenge.maxnumber);
  for (var start = 0; start <= max; start += BATCH) {
    var end = Math.min(start + BATCH - 1, max);
    var jobs = [];
    for (var n = start; n <= end; n++) jobs.push(self.crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
    var digests = await Promise.all(jobs);
    for (var i = 0; i < digests.length; i++) if (matches(digests[i], wanted)) return start + i;
  }
  return null;
}

self.onmessage = function (event) {
  var started = Date.now();
  solve(event.data).then(
    function (number) {
      if (number === null) self.postMessage({ error: "no solution" });
      else self.postMessage({ number: number, took: Date.now() - started });
    },
    function (error) { self.postMessage({ error: String(error && error.message || error) }); }
  );
};
