-----BEGIN PGP SIGNATURE-----

d2hhcmYgdGVzdCBzaWduYXR1cmUgZm9yIGFjbWVfbG9ncy0xLjEuMA==
-----END PGP SIGNATURE-----
