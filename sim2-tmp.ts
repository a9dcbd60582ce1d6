import { decideMetric, mulberry32, hodgesLehmann, type Pair } from './lib/perf-stats.js';
function brute(xs: number[]) { const w: number[] = []; for (let i=0;i<xs.length;i++) for (let j=i;j<xs.length;j++) w.push((xs[i]!+xs[j]!)/2); w.sort((a,b)=>a-b); const m=w.length>>1; return w.length%2? w[m]! : (w[m-1]!+w[m]!)/2; }
const r = mulberry32(5); let bad=0;
for (let t=0;t<20000;t++){ const n=1+Math.floor(r()*70); const kind=t%4; const xs=Array.from({length:n},()=> kind===0? r()-0.3 : kind===1? Math.round(r()*4) : kind===2 ? (r()<0.2? 10: r()) : Math.exp(3*r())); const a=hodgesLehmann(xs), b=brute(xs); if (Math.abs(a-b)>1e-12*Math.max(1,Math.abs(b))) { bad++; if (bad<5) console.log(n, kind, a, b); } }
console.log('bad', bad);
function gauss(r: () => number) { let u = 0; while (u === 0) u = r(); return Math.sqrt(-2*Math.log(u))*Math.cos(2*Math.PI*r()); }
const g = mulberry32(7); const p50: Pair[] = Array.from({length:50},()=>({base:100*Math.exp(0.05*gauss(g)), candidate:100*Math.exp(0.05*gauss(g))}));
for (let k=0;k<3;k++) decideMetric('x',p50);
const ts: number[]=[]; for (let k=0;k<10;k++){ const t=performance.now(); decideMetric('x',p50); ts.push(performance.now()-t);} console.log('ms', ts.map(x=>x.toFixed(1)).join(' '));
const p200: Pair[] = Array.from({length:200},()=>({base:100*Math.exp(0.05*gauss(g)), candidate:100*Math.exp(0.05*gauss(g))}));
let t=performance.now(); decideMetric('x',p200); console.log('n=200 ms', (performance.now()-t).toFixed(1));
