#!/usr/bin/env node
// Strict RFC 7946 check of GeoJSON files with @mapbox/geojsonhint (installed under tools/node by
// tools/setup.sh). Every finding fails the check, including the "message"-level ones the
// geojsonhint CLI lets pass (right-hand rule, old-style crs member). Coordinates may carry up to
// 7 decimals (deadzone's contract; geojsonhint's own precision warning starts at 7, so it is
// replaced by this 8-or-more check). A "crs" member anywhere it could be is an error too.
//
//   node tools/check_geojson.js FILE_OR_DIR...   (a directory: every *.geojson in it)
'use strict';
const fs = require('fs');
const path = require('path');

let geojsonhint;
try {
  geojsonhint = require(path.join(__dirname, 'node', 'node_modules', '@mapbox', 'geojsonhint'));
} catch (e) {
  console.error('check_geojson: @mapbox/geojsonhint is not installed; run tools/setup.sh ' +
                '(or: npm ci --prefix tools/node)');
  process.exit(2);
}

function files(args) {
  const out = [];
  for (const arg of args) {
    if (fs.statSync(arg).isDirectory()) {
      for (const name of fs.readdirSync(arg).sort()) {
        if (name.endsWith('.geojson')) out.push(path.join(arg, name));
      }
    } else {
      out.push(arg);
    }
  }
  return out;
}

const list = files(process.argv.slice(2));
if (list.length === 0) {
  console.error('check_geojson: no GeoJSON files given');
  process.exit(2);
}
let problems = 0;
for (const file of list) {
  const text = fs.readFileSync(file, 'utf8');
  const findings = geojsonhint.hint(text, { noDuplicateMembers: true, precisionWarning: false });
  for (const f of findings) {
    console.log(`${file}:${f.line}: ${f.level || 'error'}: ${f.message}`);
    problems += 1;
  }
  // RFC 7946 removed "crs" (coordinates are WGS84 lon/lat); geojsonhint accepts a CRS84 one.
  const doc = JSON.parse(text);
  const objects = [doc].concat(Array.isArray(doc.features) ? doc.features : []);
  objects.forEach((o, i) => {
    const where = i === 0 ? 'the root' : `feature ${i}`;
    for (const holder of [o, o && o.geometry]) {
      if (holder && typeof holder === 'object' && 'crs' in holder) {
        console.log(`${file}: error: a "crs" member in ${where} (not allowed by RFC 7946)`);
        problems += 1;
      }
    }
  });
  text.split('\n').forEach((line, i) => {
    const m = line.match(/-?\d+\.\d{8,}/);
    if (m) {
      console.log(`${file}:${i + 1}: error: more than 7 decimals: ${m[0]}`);
      problems += 1;
    }
  });
}
console.log(`check_geojson: ${list.length} file(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
