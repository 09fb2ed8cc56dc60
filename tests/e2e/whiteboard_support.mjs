// What the whiteboard's browser tests share: its own page for a room, and a drag across its canvas.
import { newPage } from './support.mjs';

// /whiteboard.html for `room` as `name`, once the board is up (window.mehfilBoard).
export async function openBoard(world, room, name, { viewport = { width: 1280, height: 800 }, colorScheme = 'light' } = {}) {
  const page = await newPage(world, { viewport, name, colorScheme });
  await page.goto(`${world.server.url}/whiteboard.html?room=${room}&name=${name}`);
  await page.waitForFunction(() => window.mehfilBoard !== undefined, null, { timeout: 20000 });
  return page;
}

// Presses at the first point, moves through the rest, lets go (points relative to the canvas).
export async function drag(page, points) {
  const box = await page.locator('canvas.whiteboard-canvas').boundingBox();
  await page.mouse.move(box.x + points[0][0], box.y + points[0][1]);
  await page.mouse.down();
  for (const [x, y] of points.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
  await page.mouse.up();
}
