/** CI seeds, part 1 of 3 (ci_seeds.ts). */
import { seedSuite } from "./ci_seeds.ts";

seedSuite(0);
