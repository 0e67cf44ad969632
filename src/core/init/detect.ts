import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { pioEnvironment } from './platformioIni';

export type BuildSystem = 'esp-idf' | 'platformio' | 'zephyr' | 'arduino-cli' | 'cmake' | 'make' | 'unknown';

export const buildSystemNames: Readonly<Record<BuildSystem, string>> = {
  'esp-idf': 'ESP-IDF',
  platformio: 'PlatformIO',
  zephyr: 'Zephyr (west)',
  'arduino-cli': 'Arduino CLI',
  cmake: 'CMake',
  make: 'Make',
  unknown: 'unknown build system',
};

/** What was found in a workspace folder, and the facts the starter config needs. */
export interface Detection {
  system: BuildSystem;
  /** Files that decided it, relative to the folder, for telling the user why. */
  evidence: string[];
  /** Project name (ESP-IDF `project(...)`, sketch name, folder name). */
  projectName: string;
  /** PlatformIO environment to build. */
  pioEnv?: string;
  /** PlatformIO platform, e.g. `espressif32`. */
  pioPlatform?: string;
  /** Zephyr board, when the project names one. */
  board?: string;
  /** Zephyr with MCUboot enabled (`CONFIG_BOOTLOADER_MCUBOOT=y`), so west writes a signed image. */
  mcuboot?: boolean;
  /** Arduino fully qualified board name, from sketch.yaml. */
  fqbn?: string;
}

async function read(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Detects the firmware build system of a folder from its top-level files. The order matters:
 * PlatformIO and ESP-IDF projects also have a CMakeLists.txt, Zephyr apps too.
 */
export async function detectBuildSystem(folder: string): Promise<Detection> {
  const at = (name: string) => path.join(folder, name);
  const folderName = path.basename(path.resolve(folder));
  const entries = await fs.readdir(folder).catch(() => [] as string[]);

  const pio = await read(at('platformio.ini'));
  if (pio !== undefined) {
    // The platform of the environment that is built, not the first `platform =` in the file.
    const { env, platform } = pioEnvironment(pio);
    return { system: 'platformio', evidence: ['platformio.ini'], projectName: folderName, ...(env ? { pioEnv: env } : {}), ...(platform ? { pioPlatform: platform } : {}) };
  }

  const cmake = await read(at('CMakeLists.txt'));
  const sdkconfig = ['sdkconfig', 'sdkconfig.defaults'].filter((f) => entries.includes(f));
  const includesIdf = cmake !== undefined && /project\.cmake/.test(cmake);
  if (includesIdf || (sdkconfig.length > 0 && cmake !== undefined)) {
    const name = cmake ? /^\s*project\s*\(\s*([A-Za-z0-9_.+-]+)/im.exec(cmake)?.[1] : undefined;
    return { system: 'esp-idf', evidence: [...(includesIdf ? ['CMakeLists.txt (includes project.cmake)'] : []), ...sdkconfig], projectName: name ?? folderName };
  }

  const prj = await read(at('prj.conf'));
  const west = entries.includes('west.yml') || (await exists(at('.west')));
  const findsZephyr = cmake !== undefined && /find_package\s*\(\s*Zephyr/i.test(cmake);
  if (prj !== undefined || west || findsZephyr) {
    const board = cmake ? /set\s*\(\s*BOARD\s+([A-Za-z0-9_/@.-]+)/.exec(cmake)?.[1] : undefined;
    return {
      system: 'zephyr',
      evidence: [...(prj !== undefined ? ['prj.conf'] : []), ...(west ? ['west workspace'] : []), ...(findsZephyr ? ['CMakeLists.txt (find_package(Zephyr))'] : [])],
      projectName: folderName,
      mcuboot: prj !== undefined && /^\s*CONFIG_BOOTLOADER_MCUBOOT\s*=\s*y/m.test(prj),
      ...(board ? { board } : {}),
    };
  }

  const sketches = entries.filter((f) => f.endsWith('.ino')).sort();
  if (sketches.length > 0) {
    const sketch = sketches.find((s) => s === `${folderName}.ino`) ?? sketches[0]!;
    const yaml = await read(at('sketch.yaml'));
    const fqbn = yaml ? /^\s*default_fqbn\s*:\s*([^\s#]+)/m.exec(yaml)?.[1] : undefined;
    return { system: 'arduino-cli', evidence: [sketch, ...(fqbn ? ['sketch.yaml'] : [])], projectName: sketch.replace(/\.ino$/, ''), ...(fqbn ? { fqbn } : {}) };
  }

  if (cmake !== undefined) {
    const name = /^\s*project\s*\(\s*([A-Za-z0-9_.+-]+)/im.exec(cmake)?.[1];
    return { system: 'cmake', evidence: ['CMakeLists.txt'], projectName: name ?? folderName };
  }
  const makefile = entries.find((f) => f === 'Makefile' || f === 'makefile' || f === 'GNUmakefile');
  if (makefile) return { system: 'make', evidence: [makefile], projectName: folderName };
  return { system: 'unknown', evidence: [], projectName: folderName };
}
