"""Names for the demo roll: a mix that resembles a British membership list."""

FIRST_NAMES = (
    "Aisha", "Alex", "Amir", "Amy", "Ana", "Ben", "Bethan", "Bilal", "Callum", "Chen",
    "Chloe", "Chidi", "Dan", "Deepa", "Eilidh", "Elif", "Ellie", "Emeka", "Emma", "Fatima",
    "Finn", "Gareth", "Grace", "Hamza", "Hannah", "Harriet", "Ibrahim", "Imogen", "Isla",
    "Jack", "Jamal", "James", "Jasmine", "Joe", "Kamala", "Kate", "Kwame", "Laila", "Leah",
    "Liam", "Lucy", "Maya", "Mohammed", "Morgan", "Nadia", "Naomi", "Niamh", "Noah", "Olu",
    "Oscar", "Paul", "Rachel", "Rhys", "Rosa", "Ruth", "Ryan", "Sadia", "Sam", "Sara",
    "Seren", "Simon", "Siobhan", "Sophie", "Tariq", "Tom", "Tomasz", "Una", "Wei", "Yusuf",
    "Zainab", "Zoe", "Agnieszka", "Declan", "Marcus", "Precious", "Ravi", "Shona", "Tendai",
)

SURNAMES = (
    "Adeyemi", "Ahmed", "Ali", "Anderson", "Bailey", "Begum", "Bennett", "Brown", "Campbell",
    "Chowdhury", "Clarke", "Collins", "Cooper", "Davies", "Evans", "Fraser", "Gallagher",
    "Green", "Hall", "Hughes", "Hussain", "Iqbal", "Jones", "Kaur", "Kelly", "Khan", "Kowalski",
    "Lewis", "Macdonald", "Martin", "Mensah", "Miah", "Mitchell", "Morgan", "Murphy", "Murray",
    "Nowak", "O'Brien", "Okafor", "Osei", "Owen", "Patel", "Phillips", "Price", "Rahman",
    "Reid", "Roberts", "Robertson", "Shah", "Singh", "Smith", "Stewart", "Taylor", "Thomas",
    "Thompson", "Turner", "Walker", "Walsh", "Ward", "Watson", "White", "Williams", "Wilson",
    "Wright", "Wood", "Young", "Zhang", "Nguyen", "Kaya", "Ferreira", "Sithole",
)
