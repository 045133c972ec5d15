/** CI seeds, part 2 of 3 (ci_seeds.ts). */
import { seedSuite } from "./ci_seeds.ts";

seedSuite(1);
