"""Pure domain of Rumah UMKM: parsing, rules, eligibility, simulation. No I/O, no clock, no framework."""
