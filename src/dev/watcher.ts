/** @module The reloader's file watcher (layer L4): one inotify-backed fs.watch per folder of a tree, ignore rules, a debounce. */
import { watch, readdirSync, statSync, type FSWatcher } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Names never watched, at any depth: dependencies, VCS data, build output, the instance folder (Flask's place for
 * what the app writes: a SQLite file, uploads, so a write by the app is no reload), and the files editors write
 * beside the real one while saving (vim's `.swp` and its `4913` probe, Emacs's `.#lock` and `~` backups).
 *
 * @example
 * WATCH_IGNORED_DIRS.has('node_modules'); // true
 */
export const WATCH_IGNORED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'coverage',
  '.cache',
  '.vite',
  '.turbo',
  'instance',
]);
/**
 * The files under a watched folder that trigger a reload: code, templates and configuration. Data the app writes
 * (a SQLite file, logs, uploads) and static assets (served from disk, fresh on every request) do not.
 *
 * @example
 * WATCHED_EXTENSIONS.has('.ts'); // true
 */
export const WATCHED_EXTENSIONS: ReadonlySet<string> = new Set([
  '.ts',
  '.mts',
  '.cts',
  '.tsx',
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
  '.json',
  '.html',
  '.htm',
  '.xml',
  '.njk',
  '.nunjucks',
  '.jinja',
  '.j2',
  '.txt',
  '.md',
  '.env',
  '.flagonenv',
  '.yaml',
  '.yml',
  '.toml',
  '.ini',
]);
const EDITOR_DEBRIS = /(?:\.sw[a-p]x?|~|\.tmp)$|^\.#|^4913$|^\.DS_Store$/;

/**
 * Options of {@link watchTree}.
 *
 * @example
 * const options: WatchOptions = { roots: ['/srv/app'], exclude: ['*.log'], debounceMs: 20 };
 */
export interface WatchOptions {
  /** Folders watched with everything below them, and single files. */
  roots: readonly string[];
  /** Glob patterns (`*`, `**`, `?`) matched against the path relative to its root and against the base name. */
  exclude?: readonly string[];
  /** Quiet time after the last event before `onChange` fires. Default 20 ms: an editor's save is several events. */
  debounceMs?: number;
}

/**
 * A running watcher, from {@link watchTree}.
 *
 * @example
 * const watcher = watchTree({ roots: [dir] }, (file) => console.log(file));
 * watcher.close();
 */
export interface TreeWatcher {
  /** How many folders and files are watched. */
  readonly size: number;
  close(): void;
}

/**
 * Turns a glob into a regular expression: `**` crosses folders, `*` and `?` do not.
 *
 * @example
 * globToRegExp('*.log').test('server.log'); // true
 * globToRegExp('tmp/**').test('tmp/a/b.txt'); // true
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Watches folders (recursively, skipping {@link WATCH_IGNORED_DIRS}; files with {@link WATCHED_EXTENSIONS}) and
 * single files (any name), and calls `onChange` with the first
 * changed path once the burst of events is over. New folders are picked up as they appear. Node 20's recursive
 * `fs.watch` on Linux walks `node_modules` too, so each folder gets its own non-recursive watcher instead.
 *
 * @example
 * const watcher = watchTree({ roots: [process.cwd()], exclude: ['*.db'] }, (file) => {
 *   console.log(` * Detected change in '${file}', reloading`);
 * });
 */
export function watchTree(options: WatchOptions, onChange: (file: string) => void): TreeWatcher {
  const patterns = (options.exclude ?? []).map(globToRegExp);
  const debounceMs = options.debounceMs ?? 20;
  const watchers = new Map<string, FSWatcher>();
  const roots = options.roots.map((root) => resolve(root));
  let timer: NodeJS.Timeout | null = null;
  let first: string | null = null;
  let closed = false;
  const explicit = new Set<string>(); // files named as roots are watched whatever their extension

  const ignored = (path: string): boolean => {
    const name = basename(path);
    if (EDITOR_DEBRIS.test(name)) return true;
    const root = roots.find((r) => path === r || path.startsWith(r + sep)) ?? dirname(path);
    const rel = relative(root, path).split(sep).join('/');
    if (rel.split('/').some((part) => WATCH_IGNORED_DIRS.has(part))) return true;
    return patterns.some((pattern) => pattern.test(rel) || pattern.test(name));
  };

  const changed = (path: string): void => {
    if (closed || ignored(path)) return;
    const name = basename(path);
    const dot = name.lastIndexOf('.');
    if (!WATCHED_EXTENSIONS.has(dot <= 0 ? name : name.slice(dot)) && !explicit.has(path)) return;
    first ??= path;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const file = first!;
      first = null;
      timer = null;
      onChange(file);
    }, debounceMs);
  };

  const add = (path: string, isRoot: boolean): void => {
    if (watchers.has(path) || (!isRoot && ignored(path))) return;
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      return; // gone already, or unreadable
    }
    try {
      const watcher = watch(path, { persistent: false }, (_event, name) => {
        const target = isDirectory && name ? join(path, name.toString()) : path;
        if (isDirectory && name) addIfDirectory(target);
        changed(target);
      });
      watcher.on('error', () => forget(path));
      watchers.set(path, watcher);
    } catch {
      return; // out of inotify watches, or a permission error: the rest still works
    }
    if (!isDirectory) return;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) add(join(path, entry.name), false);
    }
  };

  const addIfDirectory = (path: string): void => {
    try {
      if (statSync(path).isDirectory()) add(path, false);
    } catch {
      forget(path); // deleted: drop its watcher
    }
  };

  const forget = (path: string): void => {
    for (const [watched, watcher] of watchers) {
      if (watched === path || watched.startsWith(path + sep)) {
        watcher.close();
        watchers.delete(watched);
      }
    }
  };

  // A single file is watched through its folder: editors that save by renaming a new file over the old one replace
  // the inode, and a watcher on the old inode would go quiet after the first save.
  const watchFile = (file: string): void => {
    const folder = dirname(file);
    const key = `${file}\0file`;
    try {
      watchers.set(
        key,
        watch(folder, { persistent: false }, (_event, name) => {
          if (name && join(folder, name.toString()) === file) changed(file);
        }),
      );
    } catch {
      // the folder does not exist: nothing to watch
    }
  };

  for (const root of roots) {
    let isFile = false;
    try {
      isFile = statSync(root).isFile();
    } catch {
      isFile = true; // a file that may appear later (an .env not written yet)
    }
    if (isFile) {
      explicit.add(root);
      watchFile(root);
    } else add(root, true);
  }
  return {
    get size() {
      return watchers.size;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
