"""The registration flow as the tests see it: a NIK and each step's question, by a fragment only it has."""

NIK = "1603015503900001"  # Kabupaten Muara Enim, woman born 15 March 1990

# Each step's question, by a fragment that only that question has.
QUESTION = {
    "consent": "Apakah Anda setuju?",
    "owner_name": "nama lengkap pemilik",
    "phone": "Nomor HP (WhatsApp)",
    "nik": "Berapa NIK Anda",
    "business_name": "Apa nama usaha Anda?",
    "sector": "Apa bidang usaha Anda?",
    "kecamatan": "Di kecamatan mana",
    "desa": "Desa atau kelurahannya?",
    "started_on": "Sejak bulan dan tahun berapa",
    "turnover": "Berapa omzet",
    "capital": "Berapa modal usaha",
    "employees": "Berapa orang karyawan",
    "licence": "Izin usaha apa",
    "nib_number": "nomor NIB",
    "npwp": "punya NPWP?",
    "summary": "Mohon periksa data Anda",
    "edit": "Data mana yang ingin diubah?",
}
