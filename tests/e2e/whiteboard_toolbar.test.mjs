// The whiteboard's toolbar in real Chromium: buttons a screen reader can name, shortcuts decided by the
// C++ view that the bar then shows, a swatch that colours the next stroke, undo and redo from the
// keyboard, keys typed into the board's text box or outside the board that pick no tool, and the bar
// as people see it on a desktop and a phone, light and dark (screenshots).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, screenshot, eventually } from './support.mjs';
import { openBoard, drag } from './whiteboard_support.mjs';

let room;
const world = setUp({ chromium: { webgl: true }, prepare: async () => { room = (await createRoom(world, { room_name: 'Toolbar' })).code; } });

const openBoardAs = (name, options) => openBoard(world, room, name, options);

const wave = (x0, y0) => Array.from({ length: 10 }, (_, i) => [x0 + i * 25, y0 + Math.sin(i / 2) * 30]);
const svgOf = (page) => page.evaluate(() => window.mehfilBoard.exportSvg());
const toolOf = (page) => page.evaluate(() => window.mehfilBoard.toolState().tool);
const pressed = (page, name) => page.getByRole('button', { name, exact: true }).getAttribute('aria-pressed');
const count = (svg, pattern) => (svg.match(pattern) ?? []).length;

test('every button of the toolbar has a name, and the tools\' tooltips name their shortcuts', async () => {
  const page = await openBoardAs('Namer');
  const toolbar = page.getByRole('toolbar', { name: 'Whiteboard tools' });
  for (const name of ['Pen (P)', 'Eraser (E)', 'Line (L)', 'Arrow (A)', 'Rectangle (R)', 'Ellipse (O)', 'Text (T)',
    'Select and move (V)', 'Pan (the wheel zooms)', 'Laser pointer (seen by everyone, never drawn)',
    'Colour: black', 'Colour: red', 'Colour: blue', 'Width: thin', 'Width: extra thick', 'Fill shapes',
    'Undo (Ctrl+Z)', 'Redo (Ctrl+Shift+Z or Ctrl+Y)', 'Export the board']) {
    const button = toolbar.getByRole('button', { name, exact: true });
    assert.equal(await button.count(), 1, `one button named "${name}"`);
    assert.equal(await button.getAttribute('title'), name, `"${name}" has it as its tooltip`);
  }
  // Every button in the bar has a name (none is an unnamed icon).
  const unnamed = await toolbar.locator('button').evaluateAll((buttons) => buttons.filter((b) => !b.getAttribute('aria-label') && !b.textContent.trim()).length);
  assert.equal(unnamed, 0);
  assert.equal(await pressed(page, 'Pen (P)'), 'true', 'the pen is the tool at first');
  assert.equal(await page.getByRole('button', { name: 'Clear the board for everyone' }).count(), 0, 'clear is offered to hosts only');
  // The exports are a menu of two.
  await page.getByRole('button', { name: 'Export the board' }).click();
  assert.deepEqual(await page.getByRole('menuitem').allTextContents(), ['Export SVG', 'Export PNG']);
  await page.keyboard.press('Escape');
  assert.equal(await page.getByRole('menuitem').count(), 0, 'Escape closes the menu');
  await page.context().close();
});

test('a key picks its tool and the bar shows it pressed, a swatch colours the next stroke, and Ctrl+Z and Ctrl+Shift+Z undo and redo it', async () => {
  const page = await openBoardAs('Keys');
  await page.locator('canvas.whiteboard-canvas').focus();
  for (const [key, tool, name] of [['r', 'rectangle', 'Rectangle (R)'], ['o', 'ellipse', 'Ellipse (O)'], ['a', 'arrow', 'Arrow (A)'],
    ['l', 'line', 'Line (L)'], ['e', 'eraser', 'Eraser (E)'], ['v', 'select', 'Select and move (V)'], ['t', 'text', 'Text (T)'], ['p', 'pen', 'Pen (P)']]) {
    await page.keyboard.press(key);
    await eventually(async () => (await toolOf(page)) === tool, { what: `${key} to pick the ${tool}` });
    await eventually(async () => (await pressed(page, name)) === 'true', { what: `the bar to show the ${tool} pressed` });
    assert.equal(await page.locator('.wb-bar [data-tool][aria-pressed="true"]').count(), 1, 'one tool pressed at a time');
  }
  await page.keyboard.press('r');
  await eventually(async () => (await toolOf(page)) === 'rectangle', { what: 'R to pick the rectangle' });
  await drag(page, [[500, 150], [700, 300]]);
  await eventually(async () => count(await svgOf(page), /<rect /g) === 1, { what: 'the rectangle' });

  // A click on red, then the pen: the stroke is red.
  await page.getByRole('button', { name: 'Colour: red' }).click();
  assert.equal(await pressed(page, 'Colour: red'), 'true');
  assert.equal(await pressed(page, 'Colour: black'), 'false');
  await page.getByRole('button', { name: 'Pen (P)' }).click();
  await drag(page, wave(150, 400));
  await eventually(async () => /"stroke":"#e03131ff"/.test(await page.evaluate(() => window.mehfilBoard.boardJson())), { what: 'a red stroke on the board' });
  const red = /<polyline [^>]*stroke="#e03131"/g;
  await eventually(async () => count(await svgOf(page), red) === 1, { what: 'the red stroke in the SVG' });
  // A wider line and a filled shape follow the bar too.
  await page.getByRole('button', { name: 'Width: thick' }).click();
  await page.getByRole('button', { name: 'Fill shapes' }).click();
  const state = await page.evaluate(() => window.mehfilBoard.toolState());
  assert.deepEqual([state.width, state.filled, state.colour], [8, true, 0xe03131]);
  assert.equal(await pressed(page, 'Fill shapes'), 'true');

  // The keyboard's undo and redo, as the focus is on the board (the canvas, after the drawing).
  await page.keyboard.press('Control+z');
  await eventually(async () => count(await svgOf(page), red) === 0, { what: 'Ctrl+Z to undo the red stroke' });
  assert.equal(count(await svgOf(page), /<rect /g), 1, 'the rectangle stays');
  await eventually(async () => !(await page.getByRole('button', { name: 'Redo (Ctrl+Shift+Z or Ctrl+Y)' }).isDisabled()), { what: 'redo to be offered' });
  await page.keyboard.press('Control+Shift+Z');
  await eventually(async () => count(await svgOf(page), red) === 1, { what: 'Ctrl+Shift+Z to redo it' });
  await page.keyboard.press('Control+z');
  await eventually(async () => count(await svgOf(page), red) === 0, { what: 'Ctrl+Z to undo it again' });
  await page.keyboard.press('Control+y');
  await eventually(async () => count(await svgOf(page), red) === 1, { what: 'Ctrl+Y to redo it' });
  // And the bar's buttons.
  await page.getByRole('button', { name: 'Undo (Ctrl+Z)' }).click();
  await eventually(async () => count(await svgOf(page), red) === 0, { what: 'the Undo button to undo it' });
  await page.getByRole('button', { name: 'Redo (Ctrl+Shift+Z or Ctrl+Y)' }).click();
  await eventually(async () => count(await svgOf(page), red) === 1, { what: 'the Redo button to redo it' });
  await page.context().close();
});

test('a "p" typed into the board\'s text box is text, and keys typed outside the board pick no tool', async () => {
  const page = await openBoardAs('Typist');
  await page.getByRole('button', { name: 'Text (T)' }).click();
  const box = await page.locator('canvas.whiteboard-canvas').boundingBox();
  await page.mouse.click(box.x + 300, box.y + 500);
  await page.waitForFunction(() => window.mehfilBoard.typing());
  await page.keyboard.type('pop art');
  await page.waitForTimeout(200);
  console.log(await screenshot(page, 'whiteboard-text-entry'));  // the text box, in the board's font
  await page.keyboard.press('Enter');
  await eventually(async () => (await svgOf(page)).includes('>pop art</text>'), { what: 'the text to be on the board' });
  assert.equal(await toolOf(page), 'text', 'typing p, o and a picked no tool');
  assert.equal(await pressed(page, 'Text (T)'), 'true');
  assert.match(await svgOf(page), /<text [^>]*font-family="DejaVu Sans, Verdana, sans-serif"[^>]*>pop art<\/text>/, 'the SVG names the board\'s font');

  // A text field elsewhere on the page (as the chat is in a call): its keys are its own.
  await page.evaluate(() => {
    const input = Object.assign(document.createElement('input'), { id: 'elsewhere', 'aria-label': 'Elsewhere' });
    document.body.prepend(input);
  });
  await page.locator('#elsewhere').click();
  await page.keyboard.type('reply');
  await page.keyboard.press('Control+z');
  await new Promise((done) => setTimeout(done, 300));  // a few frames
  assert.equal(await toolOf(page), 'text', 'r, e, p, l and y typed elsewhere picked no tool');
  assert.ok((await svgOf(page)).includes('>pop art</text>'), 'Ctrl+Z typed elsewhere undid nothing on the board');
  await page.context().close();
});

test('the toolbar as people see it: desktop and phone, light and dark', async () => {
  const painter = await openBoardAs('Painter');
  const use = async (tool, points) => {
    await painter.evaluate((name) => window.mehfilBoard.selectTool(name), tool);
    await drag(painter, points);
  };
  await painter.getByRole('button', { name: 'Colour: blue' }).click();
  await use('pen', wave(60, 200));
  await painter.getByRole('button', { name: 'Colour: green' }).click();
  await painter.getByRole('button', { name: 'Fill shapes' }).click();
  await use('ellipse', [[80, 320], [300, 450]]);
  await painter.getByRole('button', { name: 'Colour: black' }).click();
  await painter.getByRole('button', { name: 'Fill shapes' }).click();
  await use('arrow', [[330, 380], [360, 250]]);
  await painter.getByRole('button', { name: 'Width: medium' }).click();
  await painter.getByRole('button', { name: 'Text (T)' }).click();
  const box = await painter.locator('canvas.whiteboard-canvas').boundingBox();
  await painter.mouse.click(box.x + 40, box.y + 90);
  await painter.waitForFunction(() => window.mehfilBoard.typing());
  await painter.keyboard.type('Plan: coffee at 5, then review');
  await painter.keyboard.press('Enter');
  await eventually(async () => (await svgOf(painter)).includes('then review'), { what: 'the text to be on the board' });
  await painter.keyboard.press('r');  // the bar then shows the rectangle pressed
  await eventually(async () => (await pressed(painter, 'Rectangle (R)')) === 'true', { what: 'the rectangle pressed' });
  await painter.waitForTimeout(300);
  console.log(await screenshot(painter, 'whiteboard-toolbar-desktop-light'));

  const dark = await openBoardAs('Night', { colorScheme: 'dark' });
  await eventually(async () => (await svgOf(dark)) === (await svgOf(painter)), { what: 'the dark page to show the same board' });
  await dark.waitForTimeout(300);
  console.log(await screenshot(dark, 'whiteboard-toolbar-desktop-dark'));

  for (const colorScheme of ['light', 'dark']) {
    const phone = await openBoardAs(`Phone-${colorScheme}`, { viewport: { width: 390, height: 844 }, colorScheme });
    await eventually(async () => (await svgOf(phone)) === (await svgOf(painter)), { what: 'the phone to show the same board' });
    // Targets a finger can hit, the bar one row high, and nothing wider than the screen.
    const sizes = await phone.locator('.wb-bar button:visible').evaluateAll((buttons) => buttons.map((b) => [b.getBoundingClientRect().width, b.getBoundingClientRect().height]));
    assert.ok(sizes.length >= 20 && sizes.every(([w, h]) => w >= 44 && h >= 44), `44 px targets on a phone: ${JSON.stringify(sizes)}`);
    const bar = await phone.locator('.wb-bar').boundingBox();
    assert.ok(bar.height <= 64, `the bar takes one row on a phone (${bar.height} px)`);
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 390), 'the page does not scroll sideways');
    // The export menu stays on the screen.
    await phone.getByRole('button', { name: 'Export the board' }).click();
    const menu = await phone.getByRole('menu').boundingBox();
    assert.ok(menu.x >= 0 && menu.x + menu.width <= 390, 'the export menu fits the phone');
    await phone.waitForTimeout(300);
    console.log(await screenshot(phone, `whiteboard-toolbar-phone-${colorScheme}`));
    await phone.keyboard.press('Escape');
    await phone.context().close();
  }
});
