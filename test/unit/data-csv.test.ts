import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseCsv } from '../../src/engine/data/csv-parse';
import { loadCsv, scanCsv } from '../../src/engine/data/csv';
import { loadDataset } from '../../src/engine/data';
import { validateSpec } from '../../src/core/spec';

const dir = mkdtempSync(join(tmpdir(), 'hone-csv-'));
const file = (name: string, text: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('parseCsv: quotes, escaped quotes, commas and newlines inside quotes, CRLF, blank lines, BOM', () => {
  const recs = parseCsv('\ufeffa,"b,c","say ""hi"""\r\n\r\n1,"x\ny",3\n');
  assert.deepEqual(recs, [
    { cells: ['a', 'b,c', 'say "hi"'], line: 1 },
    { cells: ['1', 'x\ny', '3'], line: 3 },
  ]);
  assert.throws(() => parseCsv('a,"b\n1,2', 'f.csv'), /a quoted field opened in line 1 of f\.csv and never closed/);
  // The line the quote opened on, not the line its record started on.
  assert.throws(() => parseCsv('x,y\n1,"a\nb",2,"c\n3,4\n', 'f.csv'), /a quoted field opened in line 3 of f\.csv and never closed/);
  assert.deepEqual(parseCsv('a,b\n1,"2\n3', 'f.csv', false), [{ cells: ['a', 'b'], line: 1 }], 'the start of a file loses its cut record');
});

test('csv: header detected, target by name, numeric features; small integer target -> classification', () => {
  const p = file('h.csv', 'x1,x2,label\n0.5,1,2\n1.5,2,0\n2.5,3,2\n3.5,4,1\n');
  const c = loadCsv(p, 'label');
  assert.equal(c.header, true);
  assert.deepEqual(c.features, ['x1', 'x2']);
  assert.equal(c.task, 'classification');
  assert.equal(c.classes, 3);
  assert.deepEqual(Array.from(c.part.x), [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
  assert.deepEqual(Array.from(c.part.y), [2, 0, 2, 1]);
});

test('csv: no header, target by index (first column), continuous target -> regression', () => {
  const p = file('n.csv', '1.25,1,2\n2.5,3,4\n-3.75,5,6\n');
  const c = loadCsv(p, 0);
  assert.equal(c.header, false);
  assert.equal(c.task, 'regression');
  assert.equal(c.classes, 0);
  assert.deepEqual(Array.from(c.part.y), [1.25, 2.5, -3.75]);
  assert.deepEqual(Array.from(c.part.x), [1, 2, 3, 4, 5, 6]);
  assert.equal(loadCsv(p, 0, 'classification').classes, 3, 'an explicit task wins over detection');
});

test('csv: a categorical label in the first row is not a header; labels map to sorted indices', () => {
  const p = file('iris.csv', '5.1,3.5,setosa\n7.0,3.2,versicolor\n6.3,3.3,virginica\n4.9,3.0,setosa\n');
  const c = loadCsv(p, 2);
  assert.equal(c.header, false);
  assert.equal(c.part.n, 4);
  assert.deepEqual(c.labels, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(Array.from(c.part.y), [0, 1, 2, 0]);
  assert.throws(() => loadCsv(p, 2, 'regression'), /^Error: data\.target: expected a numeric target in every row for regression \(within float32's \+-3\.4e38\), found "setosa" at line 1, column 3 \("col2"\) of .*iris\.csv$/);
});

test('csv: quoted header names and values, gzip, and more than 20 integer values -> regression', () => {
  const rows = Array.from({ length: 30 }, (_, i) => `"${i}","${i * 2}"`).join('\n');
  const p = file('q.csv.gz', gzipSync(`"the x","the ""y"""\n${rows}\n`));
  const c = loadCsv(p, 'the "y"');
  assert.equal(c.task, 'regression');
  assert.deepEqual(c.features, ['the x']);
  assert.equal(c.part.y[29], 58);
});

test('csv: precise errors for a non-numeric feature, ragged rows, unknown columns', () => {
  const p = file('bad.csv', 'a,b,y\n1,2,0\n3,oops,1\n');
  assert.throws(() => loadCsv(p, 'y'), { message: `data.path: expected numeric cells in every feature column (decimal or exponent notation, within float32's +-3.4e38), found "oops" at line 3, column 2 ("b") of ${p}` });
  const e = file('empty.csv', 'a,b,y\n1,,0\n');
  assert.throws(() => loadCsv(e, 'y'), /found "" at line 2, column 2 \("b"\) of /);
  const r = file('ragged.csv', 'a,b,y\n1,2,0\n3,1\n');
  assert.throws(() => loadCsv(r, 2), /expected 3 cells in every row, as in line 1, found 2 in line 3 of .*ragged\.csv$/);
  assert.throws(() => loadCsv(r, 'z'), /^Error: data\.target: expected a column of .*ragged\.csv: "a", "b", "y", found "z"$/);
  assert.throws(() => loadCsv(r, 5), /expected a column index in 0\.\.2 \(.*ragged\.csv has 3 columns\), found 5/);
  assert.throws(() => loadCsv(file('nh.csv', '1,2\n3,4\n'), 'y'), /no header row/);
  // A missing value in the first row of a file without a header is reported there, not taken for a header.
  for (const missing of ['', 'NaN', 'NA']) {
    assert.throws(() => loadCsv(file('m.csv', `1,${missing},0\n2,3,1\n4,5,0\n6,7,1\n`), 2), new RegExp(`found "${missing}" at line 1, column 2 \\("col1"\\)`));
  }
  // A number float32 cannot hold is bad input, not an Infinity in the data.
  assert.throws(() => loadCsv(file('big.csv', 'a,b,y\n1,1e39,0.5\n2,3,1.5\n'), 'y', 'regression'), /within float32's \+-3\.4e38\), found "1e39" at line 2, column 2 \("b"\)/);
  assert.throws(() => loadCsv(file('bigy.csv', 'a,b,y\n1,2,-1e39\n2,3,1.5\n'), 'y', 'regression'), /expected a numeric target in every row for regression \(within float32's \+-3\.4e38\), found "-1e39" at line 2/);
  assert.equal(loadCsv(file('max.csv', 'a,y\n3.4e38,0.5\n1,1.5\n'), 'y', 'regression').part.x[0], Math.fround(3.4e38));
});

test('csv: a target name that heads two columns is refused, not resolved to the first (the other would train as a feature)', () => {
  const p = file('dup.csv', 'price,area,price\n100,50,100\n200,80,200\n150,60,150\n');
  assert.throws(() => loadCsv(p, 'price'), { message: `data.target: expected a column name that appears once in the header of ${p}, or a zero-based column index, found "price" naming columns 1 and 3` });
  assert.equal(loadCsv(p, 2).targetName, 'price', 'an index still picks one of them');
  assert.deepEqual(loadCsv(file('dupf.csv', 'x,x,y\n1,2,0.5\n3,4,1.5\n'), 'y').features, ['x', 'x'], 'same-named features are no ambiguity');
});

test('csv: a UTF-16 or binary file is refused as not UTF-8 text, not read as cells of NULs', () => {
  const utf16 = Buffer.from('a,b,y\n1,2,0.5\n3,4,1.5\n', 'utf16le');
  const bom = file('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]));
  assert.throws(() => loadCsv(bom, 'y'), { message: `data.path: expected UTF-8 text (save the file as CSV UTF-8), found UTF-16 text (byte-order mark FFFE) in ${bom}` });
  assert.throws(() => scanCsv(bom, 'y', undefined, 1 << 20), /found UTF-16 text \(byte-order mark FFFE\)/, 'the spec check says the same');
  const bare = file('u16bare.csv', utf16);
  assert.throws(() => loadCsv(bare, 2), { message: `data.path: expected UTF-8 text, without NUL bytes, found a NUL byte at offset 1 of ${bare} (UTF-16 text or a binary file)` });
  assert.equal(loadCsv(file('bom8.csv', '\ufeffa,b,y\n1,2,0.5\n3,4,1.5\n'), 'a').targetName, 'a', "UTF-8's byte-order mark is fine");
});

test('csv dataset: path relative to baseDir, input shape [columns - 1], description', () => {
  const rows = Array.from({ length: 10 }, (_, i) => `${i},${i % 2 ? 'yes' : 'no'},${i * i}`).join('\n');
  file('d.csv', `x,label,x2\n${rows}\n`);
  const ds = loadDataset({ source: 'csv', path: 'd.csv', target: 'label', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'minmax', normalizeTarget: true }, 3, dir);
  assert.deepEqual(ds.inputShape, [2]);
  assert.equal(ds.task, 'classification');
  assert.equal(ds.target, undefined, 'normalizeTarget applies to regression only');
  assert.equal(ds.description, 'csv d.csv: 6 train / 2 val / 2 test, 2 features, 2 classes (labels "no", "yes"), normalize=minmax');
  assert.deepEqual(ds.labels, ['no', 'yes']);
  // Non-contiguous integer labels 1..10 (no 0): class i is the i-th smallest, and the dataset says which label that is.
  file('ten.csv', `x,label\n${Array.from({ length: 20 }, (_, i) => `${i},${(i % 10) + 1}`).join('\n')}\n`);
  const ten = loadDataset({ source: 'csv', path: 'ten.csv', target: 'label', split: { train: 1, val: 0, test: 0 }, normalize: 'none', normalizeTarget: false }, 3, dir);
  assert.deepEqual(ten.labels, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  assert.match(ten.description, /10 classes \(labels "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"\)/);
  const reg = loadDataset({ source: 'csv', path: 'ten.csv', target: 'label', task: 'regression', split: { train: 1, val: 0, test: 0 }, normalize: 'none', normalizeTarget: false }, 3, dir);
  assert.equal(reg.labels, undefined, 'a regression target has no labels');
});

test('csv: data.header says what the guess cannot know: column names that are numbers, a label found only in the first row', () => {
  // pandas writes integer column names as a first row of numbers: guessed data, a header when said.
  const named = file('pandas.csv', '0,1,2\n0.5,1,1\n1.5,2,0\n2.5,3,1\n');
  assert.equal(loadCsv(named, 2).part.n, 4, 'guessed: the names read as a sample');
  const said = loadCsv(named, 2, undefined, true);
  assert.deepEqual([said.header, said.part.n, said.features], [true, 3, ['0', '1']]);
  // No header, and the first row's label ('rare') is in no other row: guessed a header, data when said.
  const bare = file('bare.csv', '0.5,1,rare\n1.5,2,a\n2.5,3,b\n3.5,4,a\n4.5,5,b\n');
  assert.equal(loadCsv(bare, 2).part.n, 4, 'guessed: the first row dropped as a header');
  const data = loadCsv(bare, 2, undefined, false);
  assert.deepEqual([data.header, data.part.n, data.classes, data.features], [false, 5, 3, ['col0', 'col1']]);
  // The spec check reads it as the run does.
  assert.equal(scanCsv(bare, 2, undefined, 1 << 20, false).part.n, 5);
  // A name for the target with header false names nothing.
  assert.throws(() => loadCsv(named, '2', undefined, false), /data\.header is false, so the first row of .*pandas\.csv names no column/);
});

test('csv, from a review of bad input: text after a closing quote, a missing value in the target of a guessed task, a target name with data.header true', () => {
  assert.throws(() => parseCsv('a,b\n"1"2,3\n', 'f.csv'), /expected a comma or the end of the line after a closing quote, found "2" after quoted field 1 in line 2 of f\.csv/);
  assert.deepEqual(parseCsv('a,b\n"1" ,3\n', 'f.csv')[1].cells, ['1 ', '3'], 'blanks after the quote are fine');
  // NA in the target: not a fourth class of a guessed task (nor the labels of a regression); a class when the spec says so.
  const na = file('na.csv', 'a,y\n1,0.5\n2,1.7\n3,NA\n4,2.2\n');
  assert.throws(() => loadCsv(na, 'y'), /data\.target: expected a value in every row of the target: a missing value has no class or number to learn .*found "NA" at line 4, column 2 \("y"\)/);
  assert.deepEqual(loadCsv(na, 'y', 'classification').labels, ['0.5', '1.7', '2.2', 'NA']);
  // header true: the first row names the columns, whatever it looks like; a name not among them lists them.
  assert.throws(() => loadCsv(file('h.csv', '0,1,2\n3,4,5\n'), 'y', undefined, true), /expected a column of .*h\.csv: "0", "1", "2", found "y"/);
});

test('csv spec check: the header the spec gives is part of what the cached scan depends on', () => {
  const f = file('hdr.csv', 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n');
  const problems = (header: boolean) => validateSpec({ name: 'h', data: { source: 'csv', path: f, target: 2, header }, model: { type: 'mlp', layers: [4] } }, { baseDir: dir }).problems.map((p) => p.path);
  assert.deepEqual(problems(false), ['data.path'], 'header false: "a" is a cell of numbers that is not one');
  assert.deepEqual(problems(true), [], 'header true, validated right after in the same process');
});
