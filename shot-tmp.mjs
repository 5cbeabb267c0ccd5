import { chromium } from "playwright-core";
const [url, out, ...actions] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const p = await b.newPage({ viewport: { width: 1366, height: 900 } });
p.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") console.log("console:", m.type(), m.text()); });
p.on("pageerror", (e) => console.log("pageerror:", e.message));
await p.goto(url);
await p.waitForTimeout(1500);
for (const a of actions) {
  if (a.startsWith("click:")) await p.getByRole("button", { name: a.slice(6) }).first().click();
  else if (a.startsWith("wait:")) await p.waitForTimeout(Number(a.slice(5)));
  else if (a.startsWith("key:")) await p.keyboard.press(a.slice(4));
}
await p.waitForTimeout(800);
await p.screenshot({ path: out, fullPage: true });
console.log(await p.evaluate(() => JSON.stringify(window.fq && { screen: window.fq.screen, flow: window.fq.flow, status: window.fq.status })));
await b.close();
