/** Paraguayan-sounding names for demo data and benchmarks. FIRST alternates women's and men's names. */
export const DEMO_FIRST_NAMES = [
  "María",
  "José",
  "Ana",
  "Juan",
  "Lucía",
  "Carlos",
  "Sofía",
  "Diego",
  "Valentina",
  "Martín",
  "Camila",
  "Andrés",
];
export const DEMO_LAST_NAMES = [
  "González",
  "Benítez",
  "Núñez",
  "Martínez",
  "Giménez",
  "Ramírez",
  "Acosta",
  "Ortiz",
  "Báez",
  "Duarte",
];
