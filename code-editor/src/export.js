// Export: the open file, or every file as one zip (fflate, from npm), downloaded by the browser.
// Names come from the shared document, where anyone in the room may have written one, so each is
// checked by the room's rule (validName: the core's, as the call passes it) before it becomes a
// path: one that breaks it, or comes twice, is saved under a safe name instead.
import { zipSync, strToU8 } from 'fflate';

const EXTENSIONS = { javascript: 'js', python: 'py', cpp: 'cpp', java: 'java', html: 'html', css: 'css', sql: 'sql' };

// files: [{name, language, text}] → [{path, text}] with every path good and distinct.
export function safePaths(files, validName = () => null) {
  const taken = new Set();
  return files.map((file, i) => {
    const base = validName(file.name) ? `file-${i + 1}.${EXTENSIONS[file.language] ?? 'txt'}` : file.name;
    const dot = base.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
    let path = base;
    for (let n = 2; taken.has(path.toLowerCase()); n += 1) path = `${stem} (${n})${extension}`;
    taken.add(path.toLowerCase());
    return { path, text: file.text };
  });
}

export function zipOf(files, validName) {
  const entries = {};
  for (const { path, text } of safePaths(files, validName)) entries[path] = strToU8(text);
  return zipSync(entries, { level: 6 });
}

export function download(name, bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.style.display = 'none';
  (document.body ?? document.documentElement).append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
